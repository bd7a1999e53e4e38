/**
 * Benchmark (not a test): the telemetry loop on this machine, each figure beside a baseline measured
 * in the same run on the same broker.
 *   throughput  samples/s through ingest → detector (from the first produce until both groups have
 *               committed the last offset), vs raw kafkajs produce → consume of the same bytes; and the
 *               CPU each service spent in that phase per 1,000 samples (Linux /proc), beside the CPU
 *               of the raw produce → consume: on a shared machine wall time is mostly waiting for a
 *               core, CPU per sample is what the code costs.
 *   latency     a spike's produce → its healing action's produce (p50, p99), vs raw kafkajs
 *               produce → consume of single records at the same pace.
 * Usage: npm run bench:telemetry [-- --samples 200000 --assets 1000 --spikes 200]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createTestBus } from '../test/support/test-bus';
import { spawnService } from '../test/support/services';
import { latencySignal, seededNoise } from '../test/support/fleet';
import { ensureStack, percentile, rawKafkaBaseline, waitForGroupToCatchUp } from './support/kafka-baseline';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const totalSamples = arg('samples', 200_000);
const assetCount = arg('assets', 1_000);
const spikeCount = arg('spikes', 200);
const prefix = `bench-${randomBytes(3).toString('hex')}.`;
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', HEALER_MODE: 'live', HEALER_MAX_IN_FLIGHT: '100000', HEALER_MAX_IN_FLIGHT_PER_REGION: '100000',
  // Ingest judges age against the record time; a burst of 200k samples must not age out in the queue.
  INGEST_MAX_AGE_MS: '3600000',
};

ensureStack();
const bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.audit]);
const services = await Promise.all([spawnService('ingest', env), spawnService('detector', env), spawnService('healer', env)]);
const noise = seededNoise(1);
const assets = Array.from({ length: assetCount }, (_, i) => `bench-${i}`);
const start = Date.now() - 3_000_000;

// --- throughput -----------------------------------------------------------------------------------
const signals: HealthSignal[] = [];
for (let i = 0; signals.length < totalSamples; i++) for (const a of assets) signals.push(latencySignal(a, start + i * 1000, 50 + noise() * 4));
signals.length = totalSamples;
const encoded = signals.map((value) => ({ key: value.assetId, value: bus.codecs.encode(topics.telemetryRaw, value) }));

const baseline = await rawKafkaBaseline(bus.kafka, `${prefix}baseline`, encoded, spikeCount);

/** CPU (user + system) a process has used so far, ms; null where there is no /proc. Clock ticks are 10 ms (CLK_TCK 100). */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const producer = bus.kafka.producer();
await producer.connect();
const cpuBefore = services.map((s) => cpuMsOf(s.proc.pid));
const t0 = performance.now();
for (let i = 0; i < encoded.length; i += 5_000) {
  await producer.send({ topic: `${prefix}telemetry.raw`, messages: encoded.slice(i, i + 5_000) });
}
await waitForGroupToCatchUp(bus.kafka, `${prefix}ingest`, `${prefix}telemetry.raw`);
await waitForGroupToCatchUp(bus.kafka, `${prefix}detector`, `${prefix}telemetry.samples`);
const loopSeconds = (performance.now() - t0) / 1000;
const cpuMsPerThousand = Object.fromEntries(services.map((s, i) => {
  const after = cpuMsOf(s.proc.pid);
  const before = cpuBefore[i];
  return [s.name, after === null || before == null ? null : Number(((after - before) / (totalSamples / 1000)).toFixed(1))];
}));

// --- latency: one spike at a time on a different asset (no cooldown in the way) ---------------------
const sentAt = new Map<string, number>();
for (let i = 0; i < spikeCount; i++) {
  const asset = assets[i % assets.length]!;
  const now = Date.now();
  sentAt.set(asset, now);
  await producer.send({ topic: `${prefix}telemetry.raw`, messages: [{ key: asset, value: bus.codecs.encode(topics.telemetryRaw, latencySignal(asset, now, 900)), timestamp: String(now) }] });
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const actions = await (async () => {
  for (let waited = 0; waited < 60_000; waited += 500) {
    const raw = await bus.readAll(`${prefix}healing.actions`);
    if (raw.length >= spikeCount) return raw;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return bus.readAll(`${prefix}healing.actions`);
})();
const latencies: number[] = [];
for (const raw of actions) {
  const action = await bus.codecs.decode(topics.healingActions, raw.value);
  const sent = sentAt.get(action.assetId);
  // The action record's timestamp is its producer's clock at send: the same machine's clock.
  if (sent !== undefined) latencies.push(raw.timestampMs - sent);
}
latencies.sort((a, b) => a - b);

await producer.disconnect();
await Promise.all(services.map((s) => s.stop('SIGTERM')));
await bus.close();

const result = {
  machine: { cores: (await import('node:os')).cpus().length, loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))) },
  throughput: {
    samples: totalSamples,
    loopSamplesPerSecond: Math.round(totalSamples / loopSeconds),
    baselineRecordsPerSecond: Math.round(baseline.recordsPerSecond),
    ratioToBaseline: Number((totalSamples / loopSeconds / baseline.recordsPerSecond).toFixed(3)),
    cpuMsPerThousandSamples: cpuMsPerThousand,
    baselineCpuMsPerThousandRecords: Number(baseline.cpuMsPerThousandRecords.toFixed(1)),
  },
  latencyMs: {
    spikes: spikeCount, actionsSeen: latencies.length,
    sampleToAction: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    baselineProduceToConsume: { p50: baseline.latencyP50Ms, p99: baseline.latencyP99Ms },
  },
};
console.log(JSON.stringify(result, null, 2));
process.exit(0);
