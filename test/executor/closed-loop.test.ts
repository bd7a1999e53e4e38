import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type HealthSignal } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { latencySignal, seededNoise, warmUp } from '../support/fleet';
import { executorEntry } from './executor-fixtures';

const prefix = uniquePrefix('loop');
const dir = mkdtempSync(join(tmpdir(), 'maestro-loop-'));
const ledger = join(dir, 'ledger');
let bus: TestBus;
const running: SpawnedService[] = [];
const noise = seededNoise(11);

// One command carries out every strategy: it records the action, and fails for the asset "broken"
// (a runbook that cannot reach it), so that asset's actions fail and escalate.
const runners = {
  runners: { remediate: { type: 'command', command: '/bin/sh', args: ['-c', 'echo "$MAESTRO_ACTION_ID $MAESTRO_STRATEGY" >> "$LEDGER"; test "$MAESTRO_ASSET_ID" != broken || { echo "cannot reach broken" >&2; exit 2; }'], env: { LEDGER: ledger } } },
  strategies: { '*': 'remediate' },
};
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5',
  HEALER_MODE: 'live', HEALER_RECOVERY_WINDOW_MS: '20000',
  EXECUTOR_RUNNERS: JSON.stringify(runners),
};

const send = (signals: HealthSignal[]) => bus.producer.send(topics.telemetryRaw, signals.map((value) => ({ key: value.assetId, value })));
const audits = async (assetId: string, kind: string): Promise<AuditRecord[]> => (await bus.readValues(topics.audit)).filter((a) => a.subjectId === assetId && a.kind === kind);
const ledgerLines = () => (existsSync(ledger) ? readFileSync(ledger, 'utf8').split('\n').filter(Boolean) : []);

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.healingResults, topics.audit]);
  running.push(...(await Promise.all([
    ...(['ingest', 'detector', 'healer'] as const).map((name) => spawnService(name, env)),
    spawnService(executorEntry, env),
  ])));
  await send(warmUp(['sick', 'broken'], 60));
  await eventually(async () => (await bus.readValues(topics.telemetrySamples)).length >= 120, 60_000, 'the warm-up to pass ingest');
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('closed loop: spike → anomaly → action → executor → result → healer', () => {
  it('a succeeded result starts the recovery check, which sees the metric recover', async () => {
    await send([latencySignal('sick', Date.now(), 600)]);
    const action = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'sick'), 30_000, 'an action for sick');
    expect(action.dryRun).toBe(false);
    const result = await eventually(async () => (await bus.readValues(topics.healingResults)).find((r) => r.actionId === action.actionId), 30_000, 'its result');
    expect(result).toMatchObject({ status: 'succeeded', runner: 'remediate' });
    const seen = await eventually(async () => (await audits('sick', 'healing.result'))[0], 30_000, 'the healer to read the result');
    expect(seen.reasons.join(' ')).toMatch(new RegExp(`the executor carried it out: recovery of latency_ms is checked for [^;]+ from ${new Date(result.finishedAtMs).toISOString()}`));

    const now = Date.now();
    await send(Array.from({ length: 8 }, (_, i) => latencySignal('sick', now + i * 100, 50 + noise() * 4)));
    const recovered = await eventually(async () => (await audits('sick', 'healing.recovery')).find((a) => a.outcome === 'recovered'), 30_000, 'the recovery of sick');
    expect(recovered.reasons.join(' ')).toContain(action.actionId);
    expect(ledgerLines()).toEqual([`${action.actionId} ${action.strategy}`]);
  });

  it('a failed result escalates to the next strategy at once, and that one is carried out too', async () => {
    await send([latencySignal('broken', Date.now(), 700)]);
    const first = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'broken'), 30_000, 'an action for broken');
    const failed = await eventually(async () => (await bus.readValues(topics.healingResults)).find((r) => r.actionId === first.actionId), 30_000, 'its result');
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'exit_code' });
    expect(failed.output).toContain('cannot reach broken');

    // Escalated well before the 20 s recovery window could have closed: the result did it.
    const second = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'broken' && a.attempt === first.attempt + 1), 15_000, 'the escalated action');
    expect(second.anomalyId).toBe(first.anomalyId);
    expect(second.strategy).not.toBe(first.strategy);
    const escalation = (await audits('broken', 'healing.decision')).find((d) => d.outcome === 'escalated')!;
    expect(escalation.reasons.join(' ')).toMatch(/the executor could not carry it out: exit_code: \/bin\/sh exited with code 2/);
    await eventually(async () => (await bus.readValues(topics.healingResults)).find((r) => r.actionId === second.actionId), 30_000, 'the escalated action\'s result');
    expect(ledgerLines().filter((l) => l.startsWith(first.actionId) || l.startsWith(second.actionId))).toHaveLength(2);
  });
});
