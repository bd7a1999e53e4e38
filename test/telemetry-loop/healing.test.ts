import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type HealthSignal } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { latencySignal, seededNoise, warmUp } from '../support/fleet';

const prefix = uniquePrefix('heal');
let bus: TestBus;
const running: SpawnedService[] = [];
const noise = seededNoise(7);
const fleet = ['fleet-a', 'fleet-b', 'fleet-c', 'spiky', 'frozen', 'stubborn', 'drifty', 'flappy'];
const frozenLabels = { 'change-freeze': 'true', team: 'payments' };

const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5',
  HEALER_MODE: 'live', HEALER_COOLDOWN_MS: '600000', HEALER_RECOVERY_WINDOW_MS: '5000', HEALER_FREEZE_LABEL: 'change-freeze',
};

async function send(signals: HealthSignal[]): Promise<void> {
  await bus.producer.send(topics.telemetryRaw, signals.map((value) => ({ key: value.assetId, value })));
}

/** Normal samples for an asset from now on, one every 100 ms of event time (well within ingest's clock-skew bound). */
function normal(assetId: string, count: number, labels: Record<string, string> = {}): HealthSignal[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => latencySignal(assetId, now + i * 100, 50 + noise() * 4, labels));
}

async function decisions(assetId: string): Promise<AuditRecord[]> {
  return (await bus.readValues(topics.audit)).filter((a) => a.subjectId === assetId && a.kind === 'healing.decision');
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.healingResults, topics.audit]);
  running.push(...(await Promise.all(['ingest', 'detector', 'healer'].map((name) => spawnService(name as 'ingest', env)))));
  await send(warmUp(fleet, 60, { labels: { frozen: frozenLabels } }));
  await eventually(async () => (await bus.readValues(topics.telemetrySamples)).length >= fleet.length * 60, 60_000, 'the warm-up to pass ingest');
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
});

describe('the telemetry loop: ingest → detector → healer', () => {
  it('turns one spike into one anomaly and one healing action, with its decision audited', async () => {
    await send([latencySignal('spiky', Date.now(), 500)]);
    const anomalies = await eventually(async () => {
      const found = (await bus.readValues(topics.anomalies)).filter((a) => a.assetId === 'spiky');
      return found.length > 0 && found;
    }, 30_000, 'an anomaly for spiky');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ kind: 'spike', metric: 'latency_ms', value: 500 });
    expect(anomalies[0]!.severity).toBeGreaterThan(0.5);
    expect(anomalies[0]!.evidence.zScore).toBeGreaterThan(10);

    const actions = await eventually(async () => {
      const found = (await bus.readValues(topics.healingActions)).filter((a) => a.assetId === 'spiky');
      return found.length > 0 && found;
    }, 30_000, 'a healing action for spiky');
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ anomalyId: anomalies[0]!.anomalyId, dryRun: false, attempt: 1 });
    const [decision] = await decisions('spiky');
    expect(decision).toMatchObject({ outcome: 'execute', service: 'healer' });
    expect(decision!.reasons.join(' ')).toMatch(new RegExp(actions[0]!.strategy));

    // The fleet's other assets, fed the same kind of noise, raised nothing.
    expect((await bus.readValues(topics.anomalies)).filter((a) => a.assetId.startsWith('fleet-'))).toEqual([]);
  });

  it('records recovery once the metric is back to normal, and suppresses a repeat within the cooldown with its reason', async () => {
    await send(normal('spiky', 8));
    await eventually(async () => (await bus.readValues(topics.audit)).some((a) => a.subjectId === 'spiky' && a.kind === 'healing.recovery' && a.outcome === 'recovered'), 30_000, 'the recovery of spiky to be recorded');

    await send([latencySignal('spiky', Date.now(), 900)]);
    const suppressed = await eventually(async () => (await decisions('spiky')).find((d) => d.outcome === 'suppressed_cooldown'), 30_000, 'a suppressed decision for spiky');
    expect(suppressed.reasons.join(' ')).toMatch(/spiky is cooling down after a recent action: (\d+ min )?\d+ (s|ms|min) left/);
    expect(JSON.parse(suppressed.detailsJson)).toMatchObject({ suppression: { kind: 'cooldown' } });
    expect((await bus.readValues(topics.healingActions)).filter((a) => a.assetId === 'spiky')).toHaveLength(1);
  });

  it('records a policy denial, and acts on nothing', async () => {
    await send([latencySignal('frozen', Date.now(), 600, frozenLabels)]);
    const denied = await eventually(async () => (await decisions('frozen')).find((d) => d.outcome === 'denied_policy'), 30_000, 'a denied decision for frozen');
    expect(denied.reasons.join(' ')).toMatch(/change freeze/);
    expect((await bus.readValues(topics.healingActions)).filter((a) => a.assetId === 'frozen')).toEqual([]);
  });

  it('escalates to the next strategy on the ladder when the metric does not recover in time', async () => {
    await send([latencySignal('stubborn', Date.now(), 500)]);
    const first = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'stubborn'), 30_000, 'a first action for stubborn');
    // The asset stays broken past the 5 s recovery window.
    for (let i = 0; i < 30; i++) {
      await send([latencySignal('stubborn', Date.now(), 480 + noise() * 20)]);
      const escalated = (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'stubborn' && a.attempt > first.attempt);
      if (escalated) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const second = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === 'stubborn' && a.attempt > first.attempt), 20_000, 'an escalated action for stubborn');
    expect(second.anomalyId).toBe(first.anomalyId);
    expect(second.strategy).not.toBe(first.strategy);
    const escalation = (await decisions('stubborn')).find((d) => d.outcome === 'escalated')!;
    expect(escalation.reasons.join(' ')).toMatch(new RegExp(`step \\d+ \\(${first.strategy}\\) failed`));
  });

  it.each([
    // A slow ramp: no single sample is out of line, the level moves 0.3 per sample.
    ['drift', 'drifty', (i: number, n: () => number) => 50 + 0.3 * i + n() * 4],
    // Flapping by ±2.5 around the level: no single sample is out of line, the regime is.
    ['oscillation', 'flappy', (i: number, n: () => number) => 50 + (i % 2 ? 2.5 : -2.5) + n()],
  ] as const)('detects a %s and heals it', async (kind, assetId, shape) => {
    const n = seededNoise(kind.length);
    const start = Date.now();
    await send(Array.from({ length: 90 }, (_, i) => latencySignal(assetId, start + i * 20, shape(i, n))));
    const anomaly = await eventually(async () => (await bus.readValues(topics.anomalies)).find((a) => a.assetId === assetId), 30_000, `an anomaly for ${assetId}`);
    expect(anomaly.kind).toBe(kind);
    const action = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === assetId), 30_000, `an action for ${assetId}`);
    expect(action.anomalyId).toBe(anomaly.anomalyId);
    const decision = (await decisions(assetId)).find((d) => d.outcome === 'execute')!;
    expect(decision.reasons.join(' ')).toMatch(new RegExp(`${kind} on ${assetId}/latency_ms`));
  });
});
