/**
 * The example plugin (examples/plugin) loaded by real services through MAESTRO_PLUGINS, against the
 * real Kafka, registry and Redis: its strategy is chosen by the healer and carried out by its runner
 * in the executor; its hook refuses actions on a frozen asset; a second plugin whose hook throws is
 * contained (the decision is refused with the reason, the healer keeps running); and a malformed
 * plugin module stops the healer at start, naming it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type HealthSignal } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { latencySignal, warmUp } from '../support/fleet';

const prefix = uniquePrefix('plugins');
const dir = mkdtempSync(join(tmpdir(), 'maestro-plugins-'));
const ledger = join(dir, 'actions.jsonl');
let bus: TestBus;
let healer: SpawnedService;
const running: SpawnedService[] = [];

const labels: Record<string, Record<string, string>> = { 'frozen-1': { frozen: 'true' }, 'oracle-1': { oracle: 'down' } };
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5',
  HEALER_MODE: 'live', HEALER_RECOVERY_WINDOW_MS: '60000',
  MAESTRO_PLUGINS: './examples/plugin/index.ts, ./test/plugins/fixtures/faulty-plugin.ts',
  EXECUTOR_RUNNERS: JSON.stringify({ runners: { log: { type: 'file-log', path: ledger } }, strategies: { '*': 'log' } }),
};

const send = (signals: HealthSignal[]) => bus.producer.send(topics.telemetryRaw, signals.map((value) => ({ key: value.assetId, value })));
const spike = (assetId: string) => send([latencySignal(assetId, Date.now(), 650, labels[assetId] ?? {})]);
const audits = async (kind: string, subjectId: string): Promise<AuditRecord[]> => (await bus.readValues(topics.audit)).filter((a) => a.kind === kind && a.subjectId === subjectId);
const decisionOf = (assetId: string) => eventually(async () => (await audits('healing.decision', assetId))[0], 45_000, `the healer's decision for ${assetId}`);
const details = (a: AuditRecord) => JSON.parse(a.detailsJson) as { outcome: string; strategy: string | null; policyResults: { hook: string; verdict: string; reasons: string[] }[] };

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.healingResults, topics.audit]);
  // Four services start at once: on a busy two-core machine that can take minutes, not seconds.
  const slowStart = { timeoutMs: 240_000 };
  running.push(...(await Promise.all((['ingest', 'detector', 'healer', 'executor'] as const).map((name) => spawnService(name, env, slowStart)))));
  healer = running.find((s) => s.name === 'healer')!;
  await send(warmUp(['sick', 'frozen-1', 'oracle-1'], 60, { labels }));
  await eventually(async () => (await bus.readValues(topics.telemetrySamples)).length >= 180, 60_000, 'the warm-up to pass ingest');
}, 330_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the example plugin in running services', () => {
  it('logs that it loaded, with its name and version', () => {
    expect(healer.output.find((l) => l.includes('"msg":"plugins loaded"'))).toMatch(/"name":"example","version":"1.0.0"/);
  });

  it('its drain strategy is tried first on a spike, and its file-log runner carries the action out', async () => {
    await spike('sick');
    const action = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'sick'), 45_000, 'an action for sick');
    expect(action).toMatchObject({ strategy: 'drain', dryRun: false, params: { 'maestro.plugin': 'example', drainSeconds: '60' } });
    const result = await eventually(async () => (await bus.readValues(topics.healingResults)).find((r) => r.actionId === action.actionId), 30_000, 'its result');
    expect(result).toMatchObject({ status: 'succeeded', runner: 'log', detail: `plugin example: drain for sick logged to ${ledger}` });
    const lines = existsSync(ledger) ? readFileSync(ledger, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { actionId: string; strategy: string }) : [];
    expect(lines).toEqual([expect.objectContaining({ actionId: action.actionId, strategy: 'drain', runner: 'log' })]);
  });

  it('its hook refuses to act on a frozen asset, and the decision names it', async () => {
    await spike('frozen-1');
    const decision = await decisionOf('frozen-1');
    expect(decision.outcome).toBe('denied_policy');
    expect(details(decision).policyResults).toContainEqual({ hook: 'example/frozen-assets', verdict: 'deny', reasons: ['asset frozen-1 is labelled frozen=true: no automatic drain'] });
    expect((await bus.readValues(topics.healingActions)).filter((a) => a.assetId === 'frozen-1')).toEqual([]);
  });

  it('a plugin hook that throws refuses the decision with its reason, is audited, and the healer keeps running', async () => {
    await spike('oracle-1');
    const decision = await decisionOf('oracle-1');
    expect(decision.outcome).toBe('denied_policy');
    expect(details(decision).policyResults.at(-1)).toEqual({ hook: 'faulty/flaky-oracle', verdict: 'deny', reasons: ['plugin faulty failed: healer policy hook flaky-oracle threw: oracle unreachable'] });
    const failure = await eventually(async () => (await audits('plugin.failure', 'faulty'))[0], 15_000, 'the plugin.failure audit record');
    expect(failure).toMatchObject({ outcome: 'threw', reasons: ['plugin faulty failed: healer policy hook flaky-oracle threw: oracle unreachable'] });
    expect(healer.proc.exitCode).toBeNull();
    const metrics = await (await fetch(`${healer.url}/metrics`)).text();
    expect(metrics).toMatch(/maestro_plugin_failures_total\{plugin="faulty",point="healer policy hook flaky-oracle",kind="threw"\} 1/);
  });

  it('a malformed plugin module stops the healer at start, naming the module and the problem', async () => {
    const broken = await spawnService('healer', { ...env, MAESTRO_PLUGINS: './test/plugins/fixtures/malformed-plugin.ts', MAESTRO_REPLICA_ID: 'broken-healer' }, { waitReady: false });
    const exit = await broken.exited;
    expect(exit.code).toBe(1);
    expect(broken.output.join('\n')).toContain('healer: failed to start: MAESTRO_PLUGINS: plugin module ./test/plugins/fixtures/malformed-plugin.ts (plugin "malformed") is not a valid plugin: policyHooks.healer[0].evaluate must be a function');
  });
});
