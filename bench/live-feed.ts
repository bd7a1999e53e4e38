/**
 * Benchmark (not a test): how soon a decision reaches a reader of the live feed. Anomaly records are
 * produced one at a time to the `anomalies` topic; each is timed from the broker's acknowledgement to
 * its arrival on `GET /v1/events` (projector → Redis stream → gateway SSE), the path the console
 * draws from. Baseline in the same run: raw kafkajs produce → consume of single records on the same
 * broker. The console's aim: an anomaly on screen within a second of its record.
 * Usage: npm run bench:live-feed [-- --count 200 --gap-ms 100]
 */
import { topics, type Anomaly } from '@maestro/contracts';
import { uniquePrefix } from '../test/support/environment';
import { openSse } from '../test/read-model/sse-client';
import { spawnService } from '../test/support/services';
import { writeTelemetryTokens } from '../test/support/telemetry-tokens';
import { createTestBus } from '../test/support/test-bus';
import { ensureStack, percentile, rawKafkaBaseline } from './support/kafka-baseline';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('count', 200);
const gapMs = arg('gap-ms', 100);

ensureStack();
const prefix = uniquePrefix('bench-live');
const tokens = writeTelemetryTokens({ reader: { tenant: 'acme' } });
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TELEMETRY_TOKENS: tokens.path };
const bus = await createTestBus(prefix, [topics.anomalies]);
const services = await Promise.all([spawnService('projector', env), spawnService('gateway', env)]);
const gateway = services[1]!.url;

const anomaly = (i: number): Anomaly => ({
  anomalyId: `live-${i}`, assetId: `asset-${i % 50}`, metric: 'latency_ms', kind: 'spike', relatedKinds: [], severity: 0.9, score: 0.9, value: 900,
  sampleTimestampMs: Date.now(), detectedAtMs: Date.now(), evidence: { zScore: 12 }, tenant: 'acme',
});

try {
  const baseline = await rawKafkaBaseline(bus.kafka, `${prefix}baseline`, Array.from({ length: count }, (_, i) => ({ key: `asset-${i % 50}`, value: bus.codecs.encode(topics.anomalies, anomaly(i)) })), count);
  const stream = await openSse(`${gateway}/v1/events?kind=anomaly`, tokens.headers.reader!);
  if (stream.status !== 200) throw new Error(`GET /v1/events answered ${stream.status}`);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = anomaly(count + i);
    await bus.producer.send(topics.anomalies, [{ key: value.assetId, value }]);
    const acked = performance.now();
    await stream.waitFor((events) => events.some((e) => e.data.includes(`"live-${count + i}"`)), 10_000);
    latencies.push(performance.now() - acked);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  stream.close();
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({
    records: count,
    liveFeed: { p50Ms: +percentile(latencies, 0.5).toFixed(1), p99Ms: +percentile(latencies, 0.99).toFixed(1), maxMs: +latencies.at(-1)!.toFixed(1) },
    rawKafkaProduceToConsume: { p50Ms: +baseline.latencyP50Ms.toFixed(1), p99Ms: +baseline.latencyP99Ms.toFixed(1) },
  }, null, 2)}\n`);
} finally {
  await Promise.all(services.map((s) => s.stop()));
  await bus.close();
}
process.exit(0);
