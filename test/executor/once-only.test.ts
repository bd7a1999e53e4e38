import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topics, type HealingResult } from '@maestro/contracts';
import { eventually } from '../support/environment';
import { spawnService } from '../support/services';
import { executorEntry, fileLines as lines, healingAction, useExecutorRig } from './executor-fixtures';

const rig = useExecutorRig('exec');
const { prefix, running } = rig;
const ledger = join(rig.dir, 'ledger');
const finished = join(rig.dir, 'finished');

// Every run appends its action id to the ledger before doing anything else, so the ledger counts
// starts: a command run twice for one action would show twice, whatever happened to the executor.
const sh = (script: string) => ({ type: 'command', command: '/bin/sh', args: ['-c', script], env: { LEDGER: ledger, FINISHED: finished } });
const runners = {
  runners: {
    slow: { ...sh('echo "$MAESTRO_ACTION_ID" >> "$LEDGER"; sleep 4; echo "$MAESTRO_ACTION_ID" >> "$FINISHED"; echo slow done'), timeoutMs: 20_000 },
    fast: { ...sh('echo "$MAESTRO_ACTION_ID" >> "$LEDGER"; echo "restarted $MAESTRO_ASSET_ID"'), timeoutMs: 5_000 },
    broken: { ...sh('echo "$MAESTRO_ACTION_ID" >> "$LEDGER"; echo "disk full" >&2; exit 3'), timeoutMs: 5_000 },
    stuck: { ...sh('echo "$MAESTRO_ACTION_ID" >> "$LEDGER"; sleep 30 & wait; echo "$MAESTRO_ACTION_ID" >> "$FINISHED"'), timeoutMs: 500, killGraceMs: 200 },
  },
  strategies: { failover: 'slow', restart: 'fast', throttle: 'broken', rebalance: 'stuck' },
};
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, EXECUTOR_RUNNERS: JSON.stringify(runners),
  EXECUTOR_LEASE_MS: '2000', KAFKA_SESSION_TIMEOUT_MS: '6000',
};

const results = async (): Promise<HealingResult[]> => rig.bus.readValues(topics.healingResults);
const resultOf = (actionId: string) => eventually(async () => (await results()).find((r) => r.actionId === actionId), 60_000, `a result for ${actionId}`);

describe('executor: each action carried out once, one result each', () => {
  it('SIGKILLed mid-run and restarted: the command is not run again, its result says unknown; the others run once', async () => {
    const first = await spawnService(executorEntry, { ...env, MAESTRO_REPLICA_ID: 'exec-a' });
    running.push(first);
    await rig.bus.producer.send(topics.healingActions, [{ key: 'db-1', value: healingAction('an-slow#0', 'db-1', 'failover') }]);
    await eventually(() => lines(ledger).includes('an-slow#0'), 30_000, 'the slow command to start');
    await first.stop('SIGKILL');

    await rig.bus.producer.send(topics.healingActions, [{ key: 'web-1', value: healingAction('an-fast#0', 'web-1', 'restart') }]);
    running.push(await spawnService(executorEntry, { ...env, MAESTRO_REPLICA_ID: 'exec-b' }));

    const slow = await resultOf('an-slow#0');
    expect(slow).toMatchObject({ status: 'unknown', errorCode: 'interrupted', runner: 'slow' });
    expect(slow.error).toMatch(/exec-a stopped while running it/);
    const fast = await resultOf('an-fast#0');
    expect(fast).toMatchObject({ status: 'succeeded', runner: 'fast', attempts: 1 });
    expect(fast.output).toContain('restarted web-1');

    // The orphaned first run still finishes on its own; nobody started a second one.
    await eventually(() => lines(finished).includes('an-slow#0'), 30_000, 'the orphaned slow run to finish');
    expect(lines(ledger).filter((l) => l === 'an-slow#0')).toHaveLength(1);
    expect(lines(ledger).filter((l) => l === 'an-fast#0')).toHaveLength(1);
  });

  it('a redelivered action is a recorded duplicate: no second run, no second result', async () => {
    await rig.bus.producer.send(topics.healingActions, [
      { key: 'db-1', value: healingAction('an-slow#0', 'db-1', 'failover') },
      { key: 'web-1', value: healingAction('an-fast#0', 'web-1', 'restart') },
    ]);
    await eventually(async () => {
      const refusals = (await rig.bus.readValues(topics.audit)).filter((a) => a.kind === 'executor.refusal' && a.outcome === 'duplicate');
      return refusals.length >= 2 && refusals;
    }, 30_000, 'two duplicate refusals');
    expect((await results()).filter((r) => r.actionId === 'an-slow#0')).toHaveLength(1);
    expect((await results()).filter((r) => r.actionId === 'an-fast#0')).toHaveLength(1);
    expect(lines(ledger)).toHaveLength(2);
  });

  it('reports a failing command with its exit code and output, and kills a stuck one\'s whole process group at its timeout', async () => {
    await rig.bus.producer.send(topics.healingActions, [
      { key: 'api-1', value: healingAction('an-broken#0', 'api-1', 'throttle') },
      { key: 'api-2', value: healingAction('an-stuck#0', 'api-2', 'rebalance') },
    ]);
    const broken = await resultOf('an-broken#0');
    expect(broken).toMatchObject({ status: 'failed', errorCode: 'exit_code', error: '/bin/sh exited with code 3' });
    expect(broken.output).toContain('disk full');
    const stuck = await resultOf('an-stuck#0');
    expect(stuck).toMatchObject({ status: 'failed', errorCode: 'timeout' });
    expect(stuck.durationMs).toBeLessThan(10_000);
    // The background sleep was in the killed group: the script never reached its last line.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(lines(finished)).not.toContain('an-stuck#0');
  });

  it('refuses a dry-run action, fails one whose strategy has no runner and one decided too long ago, each audited', async () => {
    await rig.bus.producer.send(topics.healingActions, [
      { key: 'api-3', value: { ...healingAction('an-dry#0', 'api-3', 'restart'), dryRun: true } },
      { key: 'api-3', value: healingAction('an-none#0', 'api-3', 'runbook') },
      { key: 'api-4', value: { ...healingAction('an-old#0', 'api-4', 'restart'), decidedAtMs: Date.now() - 3_600_000 } },
    ]);
    const none = await resultOf('an-none#0');
    expect(none).toMatchObject({ status: 'failed', errorCode: 'no_runner', runner: '' });
    const old = await resultOf('an-old#0');
    expect(old).toMatchObject({ status: 'failed', errorCode: 'expired', runner: 'fast', attempts: 0 });
    expect(lines(ledger)).not.toContain('an-old#0');
    const audits = await rig.bus.readValues(topics.audit);
    expect(audits.find((a) => a.kind === 'executor.refusal' && a.outcome === 'dry_run')?.reasons.join(' ')).toMatch(/an-dry#0/);
    expect(audits.find((a) => a.kind === 'executor.execution' && a.subjectId === 'api-3')?.outcome).toBe('failed');
    expect((await results()).filter((r) => r.actionId === 'an-dry#0')).toEqual([]);
    expect(lines(ledger)).not.toContain('an-dry#0');
  });

  it('counts what the restarted executor reported on /metrics', async () => {
    const text = await (await fetch(`${running[1]!.url}/metrics`)).text();
    expect(text).toContain('maestro_executor_actions_total{runner="slow",status="unknown"} 1');
    expect(text).toContain('maestro_executor_actions_total{runner="fast",status="succeeded"} 1');
    expect(text).toContain('maestro_executor_actions_total{runner="none",status="failed"} 1');
    expect(text).toContain('maestro_executor_actions_total{runner="fast",status="failed"} 1');
    expect(text).toMatch(/maestro_executor_refusals_total\{outcome="duplicate"\} 2/);
  });

  it('is ready with its group joined, and exits 0 on SIGTERM', async () => {
    const executor = running[1]!;
    const ready = (await (await fetch(`${executor.url}/readyz`)).json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(ready.ready).toBe(true);
    expect(Object.keys(ready.checks)).toContain(`group ${prefix}executor`);
    expect((await executor.stop('SIGTERM')).code).toBe(0);
  });
});
