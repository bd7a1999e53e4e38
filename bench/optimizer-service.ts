/**
 * Benchmark (not a test): optimizer samples per second through the running service (decode, one
 * Redis MGET and one pipelined SET per batch, the core's step, publishing recommendations and audit
 * records on change, committing), from the first produce until its group has committed the last
 * offset; beside raw kafkajs produce → consume of the same encoded bytes in the same run.
 * Usage: npx tsx bench/optimizer-service.ts [--samples 100000 --assets 1000]
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { topics, type TelemetrySample } from '@maestro/contracts';
import { createTestBus } from '../test/support/test-bus';
import { spawnService } from '../test/support/services';
import { ensureStack, rawKafkaBaseline, waitForGroupToCatchUp } from './support/kafka-baseline';
import { seededRandom } from '../test/support/seeded-random';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const totalSamples = arg('samples', 100_000);
const assetCount = arg('assets', 1_000);
const prefix = `bench-opt-${randomBytes(3).toString('hex')}.`;
// The shortest state TTL the service accepts: a benchmark's asset states expire a minute after it.
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, OPTIMIZER_STATE_TTL_MS: '60000' };

ensureStack();
const bus = await createTestBus(prefix, [topics.telemetrySamples, topics.recommendations, topics.audit]);
const rand = seededRandom(11);
const start = Date.now() - 30 * 86_400_000;

// A slow load wave per asset, with noise and rare spikes, every 10 s of sample time: the run goes
// through holds, scale-outs and scale-ins, so publishing on change is part of what is measured.
const samples: TelemetrySample[] = Array.from({ length: totalSamples }, (_, k) => {
  const asset = k % assetCount;
  const tick = Math.floor(k / assetCount);
  const wave = 0.5 + 0.35 * Math.sin((tick + asset) / 20);
  const saturation = Math.min(1, Math.max(0, wave + (rand() - 0.5) * 0.1 + (rand() < 0.01 ? 0.4 : 0)));
  const atMs = start + tick * 10_000;
  return {
    assetId: `bench-${asset}`, timestampMs: atMs, ingestedAtMs: atMs, region: 'eu-west-1', provider: 'aws',
    metrics: { saturation, latency_ms: 20 + 200 * saturation, throughput_rps: 1000 * saturation, unit_cost: 0.01 / Math.max(0.05, saturation), queue_depth: Math.floor(50 * saturation) },
    labels: { replicas: '4', size_units: '2' }, tenant: null,
  };
});
const encoded = samples.map((value) => ({ key: value.assetId, value: bus.codecs.encode(topics.telemetrySamples, value) }));

const baseline = await rawKafkaBaseline(bus.kafka, `${prefix}baseline`, encoded, 20);

const optimizer = await spawnService('optimizer', env);
const producer = bus.kafka.producer();
await producer.connect();
const t0 = performance.now();
for (let i = 0; i < encoded.length; i += 5_000) {
  await producer.send({ topic: `${prefix}telemetry.samples`, messages: encoded.slice(i, i + 5_000) });
}
await waitForGroupToCatchUp(bus.kafka, `${prefix}optimizer`, `${prefix}telemetry.samples`);
const seconds = (performance.now() - t0) / 1000;
const published = (await bus.readAll(`${prefix}recommendations`)).length;

await producer.disconnect();
await optimizer.stop('SIGTERM');
await bus.close();

console.log(JSON.stringify({
  machine: { cores: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) },
  samples: totalSamples, assets: assetCount, recommendationsPublished: published,
  serviceSamplesPerSecond: Math.round(totalSamples / seconds),
  baselineRecordsPerSecond: Math.round(baseline.recordsPerSecond),
  ratioToBaseline: Number((totalSamples / seconds / baseline.recordsPerSecond).toFixed(3)),
}, null, 2));
process.exit(0);
