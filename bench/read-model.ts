/**
 * The read model's cost in Redis: events projected per second through the projector's script (one
 * call per batch of 200, indexes, stream and bounds included) beside a baseline in the same run, the
 * least any read model writes (the same batches as one pipelined HSET per event); and pages of 50
 * read per second through the gateway's store beside an HMGET of 50 known ids. Uses the running
 * Redis under a prefix of its own, deleted afterwards. Not a test: `npm run bench:read-model --
 * [events]`, and read the JSON it prints.
 */
import { loadavg } from 'node:os';
import type { Anomaly } from '@maestro/contracts';
import { createKeyspace, createRedis } from '@maestro/state';
import { projectRecord } from '../services/projector/src/domain';
import { createProjectionStore, type Projection } from '../services/projector/src/projection-store';
import { createReadModelStore } from '../services/gateway/src/read-model-store';
import { parseReadQuery } from '../services/gateway/src/read-query';
import { deletePrefixed } from '../test/support/redis-keys';
import { stackEnv, uniquePrefix } from '../test/support/environment';

const EVENTS = Number(process.argv[2] ?? 20_000);
const BATCH = 200;
const ASSETS = 1_000;
const PAGES = 300;

const prefix = uniquePrefix('bench-read');
const redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'bench-read-model' });
await redis.connect();
const keys = createKeyspace(prefix);

const projections: Projection[] = Array.from({ length: EVENTS }, (_, i) => {
  const value = {
    anomalyId: `asset-${i % ASSETS}:latency_ms:${i}`, assetId: `asset-${i % ASSETS}`, metric: 'latency_ms', kind: 'spike', severity: (i % 100) / 100,
    score: 0.9, value: 500 + i, sampleTimestampMs: 1_700_000_000_000 + i, detectedAtMs: 1_700_000_000_000 + i, evidence: { zScore: 12.5, baseline: 50 }, tenant: 'acme',
  } as Partial<Anomaly> as Anomaly; // the fields the read model reads; fields added later do not matter here
  const offset = String(i);
  return { offset, event: projectRecord({ kind: 'anomaly', value }, { topic: 'anomalies', partition: 0, offset }) };
});
const batches = Array.from({ length: Math.ceil(EVENTS / BATCH) }, (_, b) => projections.slice(b * BATCH, (b + 1) * BATCH));

const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));
async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const store = createProjectionStore(redis, keys, { maxEvents: EVENTS, maxEventsPerAsset: 500, maxSamplesPerAsset: 120 });
const { epoch } = await store.claimEpoch('bench');
const projectMs = await timed(async () => {
  for (const batch of batches) await store.apply(epoch, { topic: 'anomalies', partition: 0 }, batch);
});

const baselineKey = `${prefix}baseline`;
const baselineMs = await timed(async () => {
  for (const batch of batches) {
    const pipeline = redis.pipeline();
    for (const p of batch) if ('event' in p) pipeline.hset(baselineKey, p.event.id, JSON.stringify(p.event));
    await pipeline.exec();
  }
});

const reads = createReadModelStore(redis, keys);
const query = parseReadQuery({ limit: '50', asset: 'asset-7' });
if (!query.ok) throw new Error(query.reasons.join('; '));
const pageMs = await timed(async () => {
  for (let i = 0; i < PAGES; i++) await reads.page('acme', { asset: 'asset-7' }, query.value);
});
const ids = projections.slice(0, 50).map((p) => ('event' in p ? p.event.id : ''));
const hmgetMs = await timed(async () => {
  for (let i = 0; i < PAGES; i++) await redis.hmget(baselineKey, ...ids);
});

// Bytes the read model holds per event: every key of the projection, the baseline's hash excluded.
let bytes = 0;
for (const key of await redis.keys(`${prefix}projector:*`)) bytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
await deletePrefixed(redis, prefix);
await redis.quit();

console.log(JSON.stringify({
  events: EVENTS, batch: BATCH, assets: ASSETS, loadAverage: loadavg()[0]?.toFixed(2),
  projectedPerSecond: perSecond(EVENTS, projectMs), baselineHsetPerSecond: perSecond(EVENTS, baselineMs), projectionVsBaseline: Number((baselineMs / projectMs).toFixed(2)),
  pagesPerSecond: perSecond(PAGES, pageMs), baselineHmgetPerSecond: perSecond(PAGES, hmgetMs), pageVsBaseline: Number((hmgetMs / pageMs).toFixed(2)),
  readModelBytesPerEvent: Math.round(bytes / EVENTS),
}, null, 2));
