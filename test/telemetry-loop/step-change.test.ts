/**
 * One incident, one anomaly: a step change (latency 40 -> 2,500 ms that stays) is a spike on its
 * first sample and a drift once the detector's drift test has gathered its evidence. Both are the
 * same cause, so the real detector must publish one anomaly and the real healer plan one action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { seededNoise } from '../support/fleet';

const prefix = uniquePrefix('step');
let bus: TestBus;
const running: SpawnedService[] = [];
const ASSET = 'stepped';
const STEP_MS = 50;

// A cooldown of 1 ms: only the detector's correlation, not the healer's cooldown, can keep the
// drift from becoming a second action. A refractory period of 40 samples ends before the latency
// comes back (80 samples after the step), so the way back is judged after the incident closed.
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '40', HEALER_MODE: 'live', HEALER_COOLDOWN_MS: '1',
};

/** One sample of the stepped asset; `cpu` and `error_rate` are sentinel series (see below). */
function signal(timestampMs: number, latencyMs: number, cpu: number, errorRate: number): HealthSignal {
  return {
    assetId: ASSET, timestampMs, metrics: { latency_ms: latencyMs, cpu, error_rate: errorRate }, region: 'eu-west-1', provider: 'aws',
    labels: {}, tenant: null, receivedAtMs: null,
  };
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.healingResults, topics.audit]);
  running.push(...(await Promise.all(['ingest', 'detector', 'healer'].map((name) => spawnService(name as 'ingest', env)))));
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
});

describe('a step change through ingest → detector → healer', () => {
  const noise = seededNoise(12);
  const before = 60;
  const after = 80;
  const back = 80;
  const start = Date.now() - (before + after + back) * STEP_MS;
  const errorRate = () => 0.01 + noise() * 0.001;
  // The asset reports in two sends, the step and then the way back; the last sample of each spikes
  // a sentinel series of the same asset (cpu, then error_rate): same key, same partition, so its
  // anomaly proves the detector has folded every latency sample before it.
  const stepped = Array.from({ length: before + after }, (_, i) =>
    signal(start + i * STEP_MS, (i < before ? 40 : 2_500) + noise() * 4, i === before + after - 1 ? 0.95 : 0.2 + noise() * 0.02, errorRate()));
  const recovered = Array.from({ length: back }, (_, k) => {
    const i = before + after + k;
    return signal(start + i * STEP_MS, 40 + noise() * 4, 0.2 + noise() * 0.02, k === back - 1 ? 0.5 : errorRate());
  });
  const latencyAnomalies = async () => (await bus.readValues(topics.anomalies)).filter((a) => a.assetId === ASSET && a.metric === 'latency_ms');

  it('yields exactly one anomaly record and one healing action', async () => {
    await bus.producer.send(topics.telemetryRaw, stepped.map((value) => ({ key: value.assetId, value })));

    await eventually(async () => (await bus.readValues(topics.anomalies)).some((a) => a.metric === 'cpu'), 60_000, 'the sentinel anomaly on cpu');
    const latency = await latencyAnomalies();
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ kind: 'spike', relatedKinds: [] });
    expect(latency[0]!.sampleTimestampMs).toBe(start + before * STEP_MS);
    // The drift was seen, and joined the incident: the detector says so in its log.
    const detector = running.find((s) => s.name === 'detector')!;
    const joined = detector.output.filter((line) => line.includes('joined the open incident'));
    expect(joined).toHaveLength(1);
    expect(JSON.parse(joined[0]!)).toMatchObject({ assetId: ASSET, metric: 'latency_ms', kind: 'drift' });

    const ids = new Set(latency.map((a) => a.anomalyId));
    const actions = await eventually(async () => {
      const found = (await bus.readValues(topics.healingActions)).filter((a) => ids.has(a.anomalyId));
      return found.length > 0 && found;
    }, 30_000, 'a healing action for the step');
    // The healer has also decided on the sentinel's anomaly by the time its action is out: nothing
    // for the latency is still in flight.
    await eventually(async () => (await bus.readValues(topics.audit)).some((a) => a.kind === 'healing.decision' && a.subjectId === ASSET && /cpu/.test(a.reasons.join(' '))), 30_000, 'the healer to decide on the sentinel');
    expect((await bus.readValues(topics.healingActions)).filter((a) => ids.has(a.anomalyId))).toEqual(actions);
    expect(actions).toHaveLength(1);
  });

  it('says nothing more when the latency comes back: the recovery is not a new incident', async () => {
    await bus.producer.send(topics.telemetryRaw, recovered.map((value) => ({ key: value.assetId, value })));
    await eventually(async () => (await bus.readValues(topics.anomalies)).some((a) => a.metric === 'error_rate'), 60_000, 'the sentinel anomaly on error_rate');
    expect((await latencyAnomalies()).map((a) => a.kind)).toEqual(['spike']);
  });
});
