import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type Recommendation, type TelemetrySample } from '@maestro/contracts';
import { createKeyspace, createRedis, type Redis } from '@maestro/state';
import { assetKey } from '../../services/optimizer/src/asset-store';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { deletePrefixed } from '../support/redis-keys';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('optimize');
const keys = createKeyspace(prefix);
let bus: TestBus;
let redis: Redis;
let optimizer: SpawnedService;

// Short windows in sample time: the core measures them between sample timestamps, so the samples
// below are produced in one go and no test waits for a window to pass on the wall clock.
const EVERY_MS = 500;
const UP_WINDOW_MS = 3_000;
const DOWN_WINDOW_MS = 4_000;
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  OPTIMIZER_SCALE_UP_STABILIZATION_MS: String(UP_WINDOW_MS),
  OPTIMIZER_SCALE_DOWN_STABILIZATION_MS: String(DOWN_WINDOW_MS), OPTIMIZER_FULL_CONFIDENCE_SPAN_MS: '10000',
  // The default scale-down limit is the Kubernetes one (100 % per 15 s); a halving limit shows the rate limit at work.
  OPTIMIZER_SCALE_DOWN_MAX_PERCENT: '0.5', OPTIMIZER_SCALE_DOWN_PERIOD_MS: '60000',
};
const T0 = Date.now() - 600_000;
const lastOf = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;

interface Shape {
  saturation: number;
  replicas: number;
  unitCost?: number;
  labels?: Record<string, string>;
}

/** Sample k of an asset, EVERY_MS apart in sample time. */
function sample(assetId: string, k: number, shape: Shape): TelemetrySample {
  const atMs = T0 + k * EVERY_MS;
  return {
    assetId, timestampMs: atMs, ingestedAtMs: atMs, region: 'eu-west-1', provider: 'aws',
    metrics: { saturation: shape.saturation, latency_ms: 40, throughput_rps: 200, unit_cost: shape.unitCost ?? 0.01, queue_depth: 0 },
    labels: { replicas: String(shape.replicas), ...shape.labels }, tenant: null,
  };
}

async function produce(assetId: string, from: number, to: number, shape: (k: number) => Shape): Promise<void> {
  const records = [];
  for (let k = from; k < to; k++) records.push({ key: assetId, value: sample(assetId, k, shape(k)) });
  await bus.producer.send(topics.telemetrySamples, records);
}

async function recommendations(assetId: string): Promise<Recommendation[]> {
  return (await bus.readValues(topics.recommendations)).filter((r) => r.assetId === assetId);
}

async function audits(assetId: string): Promise<AuditRecord[]> {
  return (await bus.readValues(topics.audit)).filter((a) => a.subjectId === assetId && a.kind === 'optimization.recommendation');
}

/** Waits until the optimizer has folded `count` samples of the asset: its state is saved after it publishes. */
async function folded(assetId: string, count: number): Promise<void> {
  await eventually(async () => {
    const raw = await redis.get(assetKey(keys, assetId));
    return raw !== null && (JSON.parse(raw) as { sampleCount: number }).sampleCount >= count;
  }, 30_000, `${count} samples of ${assetId} to be folded`);
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetrySamples, topics.recommendations, topics.audit]);
  redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'optimizer-test' });
  await redis.connect();
  optimizer = await spawnService('optimizer', env);
});

afterAll(async () => {
  await optimizer?.stop('SIGTERM');
  await bus?.close();
  if (redis) {
    await deletePrefixed(redis, prefix);
    await redis.quit();
  }
});

describe('optimizer against the real stack', () => {
  it('does not scale out on a single spike, scales out on sustained saturation, and publishes the forecast beside the decision', async () => {
    // 10 samples at target, one spike to full saturation, 9 at target, then 12 at 1.5× target.
    await produce('surge', 0, 32, (k) => ({ replicas: 4, saturation: k === 10 ? 1 : k >= 20 ? 0.9 : 0.6 }));
    await folded('surge', 32);
    const recs = await recommendations('surge');
    // The spike's 3 s up window held: nothing before the surge at k = 20; the surge itself scales out.
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.every((r) => r.action === 'scale_out' && r.decidedAtMs >= T0 + 20 * EVERY_MS)).toBe(true);
    const rec = recs[0]!;
    expect(rec).toMatchObject({ currentReplicas: 4, forecastSeasonality: 'none' });
    expect(rec.targetReplicas!).toBeGreaterThan(4);
    expect(rec.rationale).toMatch(/^scale_out 4 → \d+: saturation at 1\.5× target .*forecast peak [\d.]+ over the next [\d.]+ s \(p80 band/);
    expect(rec.forecastUpper!).toBeGreaterThanOrEqual(rec.forecastLoad!);
    expect(rec.forecastLower!).toBeLessThanOrEqual(rec.forecastLoad!);
    expect(rec.forecastHorizonMs!).toBeGreaterThanOrEqual(60_000);
    expect(rec.evidence['forecastUpper']).toBeCloseTo(rec.forecastUpper!, 9);
    expect(lastOf(recs).targetReplicas!).toBeGreaterThanOrEqual(6); // load 3.6 replicas' worth at target 0.6
    // Every published recommendation was audited, with its rationale.
    const audit = await audits('surge');
    expect(audit.map((a) => a.reasons[0])).toEqual(recs.map((r) => r.rationale));
    expect(audit[0]).toMatchObject({ service: 'optimizer', outcome: 'scale_out' });
    expect(JSON.parse(audit[0]!.detailsJson)).toMatchObject({ currentReplicas: 4, targetReplicas: rec.targetReplicas });
  });

  it('scales idle capacity in only once the stabilisation window has been observed, with the cost saved', async () => {
    await produce('idle', 0, 14, () => ({ replicas: 10, saturation: 0.05, unitCost: 0.02 }));
    const [rec] = await eventually(async () => {
      const found = await recommendations('idle');
      return found.length > 0 && found;
    }, 30_000, 'a recommendation for idle');
    // Nothing during the first 4 s of sample time; then halving, the scale-down rate limit.
    expect(rec).toMatchObject({ action: 'scale_in', currentReplicas: 10, targetReplicas: 5, decidedAtMs: T0 + DOWN_WINDOW_MS });
    expect(rec!.rationale).toMatch(/^scale_in 10 → 5: .*max desired over the 4 s scale-down window 1; rate limit allows down to 5; unit cost 0\.02 → 0\.01/);
    await folded('idle', 14);
    expect(await recommendations('idle')).toHaveLength(1);
  });

  it('publishes on change only: one scale_out while the actuator lags, one hold once it has acted', async () => {
    // The first sample alone covers the 3 s up window (it describes the interval before it).
    await produce('steady', 0, 20, () => ({ replicas: 4, saturation: 0.9 }));
    await eventually(async () => (await recommendations('steady')).length > 0, 30_000, 'a recommendation for steady');
    await folded('steady', 20);
    // The actuator applies 6 replicas and the load settles at target.
    await produce('steady', 20, 30, () => ({ replicas: 6, saturation: 0.6 }));
    await folded('steady', 30);
    const published = await recommendations('steady');
    expect(published.map((r) => [r.action, r.currentReplicas, r.targetReplicas])).toEqual([['scale_out', 4, 6], ['hold', 6, null]]);
    expect((await audits('steady')).map((a) => a.outcome)).toEqual(['scale_out', 'hold']);
  });

  it('lets a custom signal from the labels drive the decision', async () => {
    // Saturation on target, but the asset's own backlog is 3× its target per replica.
    await produce('backlogged', 0, 10, () => ({ replicas: 2, saturation: 0.6, labels: { 'signal.backlog': '30/10' } }));
    const [rec] = await eventually(async () => {
      const found = await recommendations('backlogged');
      return found.length > 0 && found;
    }, 30_000, 'a recommendation for backlogged');
    // 30 waiting per replica against 10: 6 replicas' worth at target, more with the forecast's band.
    expect(rec).toMatchObject({ action: 'scale_out', currentReplicas: 2 });
    expect(rec!.targetReplicas!).toBeGreaterThanOrEqual(6);
    expect(rec!.rationale).toMatch(/^scale_out 2 → \d+: backlog at 3× target/);
    expect(rec!.evidence['signal.backlog.ratio']).toBeCloseTo(3, 9);
    expect(rec!.evidence['signal.saturation.ratio']).toBeCloseTo(1, 9);
  });

  it('dead-letters a sample with a malformed label, with its reason, and folds the samples after it', async () => {
    await produce('garbled', 0, 1, () => ({ replicas: 3, saturation: 0.6 }));
    await produce('garbled', 1, 2, () => ({ replicas: 3, saturation: 0.6, labels: { 'signal.backlog': 'lots' } }));
    await produce('garbled', 2, 4, () => ({ replicas: 3, saturation: 0.6 }));
    await folded('garbled', 3);
    const letters = await eventually(async () => {
      const raw = (await bus.readAll(`${prefix}telemetry.samples.dlq`)).filter((r) => r.key === 'garbled');
      return raw.length > 0 && raw.map((r) => decodeDeadLetter(r.value));
    }, 30_000, 'a dead letter for garbled');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ errorCode: 'INVALID_SAMPLE', consumerGroup: `${prefix}optimizer` });
    expect(letters[0]!.reason).toMatch(/label signal\.backlog="lots" is not <value>\/<target>/);
  });
});
