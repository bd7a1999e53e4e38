import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { latencySignal, seededNoise, warmUp } from '../support/fleet';

const prefix = uniquePrefix('failover');
let bus: TestBus;
const running: SpawnedService[] = [];
const assets = Array.from({ length: 24 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', HEALER_MODE: 'live', HEALER_COOLDOWN_MS: '600000',
  // Caps high enough that every spike may be acted on: this test is about failover, not caps.
  HEALER_MAX_IN_FLIGHT: '100', HEALER_MAX_IN_FLIGHT_PER_REGION: '100',
  // A killed replica's partitions move once the group stops hearing from it: 6 s, the broker's minimum.
  KAFKA_SESSION_TIMEOUT_MS: '6000',
};

async function send(signals: HealthSignal[]): Promise<void> {
  await bus.producer.send(topics.telemetryRaw, signals.map((value) => ({ key: value.assetId, value })));
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.audit]);
  running.push(...(await Promise.all([
    spawnService('ingest', env),
    spawnService('detector', env), spawnService('detector', env),
    spawnService('healer', env), spawnService('healer', env),
  ])));
  await send(warmUp(assets, 60));
  await eventually(async () => (await bus.readValues(topics.telemetrySamples)).length >= assets.length * 60, 60_000, 'the warm-up to pass ingest');
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGKILL')));
  await bus?.close();
});

describe('two detector and two healer replicas, one of each killed with SIGKILL mid-stream', () => {
  it('lose no anomaly and execute no action twice', { timeout: 180_000 }, async () => {
    const noise = seededNoise(99);
    // Each round: one asset spikes while the others report normally, so work is in flight on
    // every partition when the kill lands.
    for (const [round, spiking] of assets.entries()) {
      const now = Date.now();
      await send(assets.map((a) => latencySignal(a, now, a === spiking ? 500 : 50 + noise() * 4)));
      if (round === assets.length / 2) {
        running[1]!.proc.kill('SIGKILL');
        running[3]!.proc.kill('SIGKILL');
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }

    const anomalies = await eventually(async () => {
      const all = await bus.readValues(topics.anomalies);
      return new Set(all.map((a) => a.assetId)).size >= assets.length && all;
    }, 90_000, 'an anomaly for every spiking asset');
    // A sample's anomaly id is deterministic, so a batch redone after the kill repeats the id, never adds one.
    const idsByAsset = new Map<string, Set<string>>();
    for (const a of anomalies) idsByAsset.set(a.assetId, (idsByAsset.get(a.assetId) ?? new Set()).add(a.anomalyId));
    expect([...idsByAsset.values()].map((ids) => ids.size)).toEqual(assets.map(() => 1));

    const actions = await eventually(async () => {
      const all = await bus.readValues(topics.healingActions);
      return new Set(all.map((a) => a.assetId)).size >= assets.length && all;
    }, 90_000, 'a healing action for every spiking asset');
    const actionIdsByAsset = new Map<string, Set<string>>();
    for (const a of actions) actionIdsByAsset.set(a.assetId, (actionIdsByAsset.get(a.assetId) ?? new Set()).add(a.actionId));
    // One action per anomaly: executors act once per action id, and no anomaly got a second id.
    expect([...actionIdsByAsset.values()].map((ids) => ids.size)).toEqual(assets.map(() => 1));
    expect(actions.every((a) => a.attempt === 1)).toBe(true);
  });
});
