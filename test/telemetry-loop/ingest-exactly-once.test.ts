/**
 * Regression: ingest published a batch's samples, then saved its state and committed its offsets; a
 * SIGKILL in between had the batch read and published again (the chaos bench counted 2–4 doubled
 * samples per ingest kill). Now the samples and the offsets go in one Kafka transaction per batch.
 *
 * - Redelivery, deterministically: the batch's state save fails once after its samples went out
 *   (what a SIGKILL at that instant leaves: published, offsets not committed). It used to fail the
 *   batch, which was read and published again; now the samples and offsets were one transaction.
 * - Under steady load, ingest is SIGKILLed and restarted: every signal sent appears on
 *   `telemetry.samples` exactly once (as read_committed readers, the services, see it).
 * - A predecessor that produced a batch in a transaction and died before
 *   committing it is fenced by the partition's next owner, its samples never become visible, and the
 *   batch redone is visible once, without waiting for the transaction timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createBatchConsumer, createTransactionalSenders, silentLogger, subscription, TransientError } from '@maestro/bus';
import { createKeyspace, createRedis } from '@maestro/state';
import { resolveSignalLimits } from '@maestro/telemetry';
import { createIngestHandler } from '../../services/ingest/src/ingest-handler';
import { resolveOrderingConfig } from '../../services/ingest/src/domain';
import { createStreamStore } from '../../services/ingest/src/stream-store';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';
import { spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('ingest-eos');
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, KAFKA_SESSION_TIMEOUT_MS: '6000' };
let bus: TestBus;
let ingest: SpawnedService | undefined;

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples]);
});

afterAll(async () => {
  await ingest?.stop('SIGTERM');
  await bus?.close();
});

/** How many times each (asset, time) of the load appears on telemetry.samples. */
async function sampleCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const s of await bus.readValues(topics.telemetrySamples, 60_000)) if (s.assetId.startsWith('eos-asset-')) counts.set(`${s.assetId}@${s.timestampMs}`, (counts.get(`${s.assetId}@${s.timestampMs}`) ?? 0) + 1);
  return counts;
}

describe('ingest → telemetry.samples', () => {
  it('publishes a batch once when it is handled again after its samples went out', async () => {
    const redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'ingest-eos-test' });
    await redis.connect();
    const ordering = resolveOrderingConfig({});
    const real = createStreamStore(redis, createKeyspace(prefix), ordering, 60_000);
    let saveFailures = 0;
    const senders = createTransactionalSenders(bus.kafka, bus.codecs);
    const handler = createIngestHandler({
      // The state save after the samples went out fails once, as if the process died right there.
      store: { load: (ids) => real.load(ids), save: async (states) => (saveFailures++ === 0 ? Promise.reject(new TransientError('redis away for a moment')) : real.save(states)) },
      limits: resolveSignalLimits({}), ordering, now: Date.now,
      publish: (records, position) => (position ? senders.send(position, [{ spec: topics.telemetrySamples, records }]) : bus.producer.send(topics.telemetrySamples, records)),
    });
    const consumer = createBatchConsumer({
      kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}redelivery`, logger: silentLogger, maxRetryBackoffMs: 200,
      subscriptions: [subscription(topics.telemetryRaw, handler)],
    });
    const t0 = Date.now() - 1_000;
    const signals = [1, 2, 3].map((i) => latencySignal('redelivered-asset', t0 + i, 40 + i));
    try {
      await bus.producer.send(topics.telemetryRaw, signals.map((value) => ({ key: value.assetId, value })));
      await consumer.start();
      await eventually(() => saveFailures > 0, 30_000, 'the failed save');
      const mine = await eventually(async () => {
        const all = (await bus.readValues(topics.telemetrySamples)).filter((v) => v.assetId === 'redelivered-asset');
        return all.length >= 3 && all;
      }, 30_000, 'the three samples');
      // Until a copy shows up, or the group has committed past the batch (nothing will be read again).
      await eventually(async () => (await bus.readValues(topics.telemetrySamples)).filter((v) => v.assetId === 'redelivered-asset').length !== 3 || consumerSettled(), 30_000, 'a copy, or the batch committed');
      const again = (await bus.readValues(topics.telemetrySamples)).filter((v) => v.assetId === 'redelivered-asset');
      expect(again.map((v) => v.timestampMs)).toEqual(mine.slice(0, 3).map((v) => v.timestampMs));
      expect(again).toHaveLength(3);
    } finally {
      await consumer.stop();
      await senders.close();
      await redis.quit();
    }

    async function consumerSettled(): Promise<boolean> {
      const admin = bus.kafka.admin();
      await admin.connect();
      try {
        const [committed] = await admin.fetchOffsets({ groupId: `${prefix}redelivery`, topics: [bus.codecs.topicName(topics.telemetryRaw)] });
        const ends = await admin.fetchTopicOffsets(bus.codecs.topicName(topics.telemetryRaw));
        return ends.every((e) => BigInt(committed!.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1') >= BigInt(e.high) || e.high === e.low);
      } finally {
        await admin.disconnect();
      }
    }
  });

  it('publishes every signal exactly once across repeated SIGKILLs under load', async () => {
    const assets = Array.from({ length: 12 }, (_, i) => `eos-asset-${i}`);
    const sent: HealthSignal[] = [];
    let sending = true;
    let tick = 0;
    const start = Date.now();
    // Ten signals every 50 ms, each asset's timestamps strictly increasing: ingest admits all of them.
    const load = (async () => {
      while (sending) {
        const batch = Array.from({ length: 10 }, () => {
          const asset = assets[tick % assets.length]!;
          tick++;
          return latencySignal(asset, start + tick, 40 + (tick % 7));
        });
        await bus.producer.send(topics.telemetryRaw, batch.map((value) => ({ key: value.assetId, value })));
        sent.push(...batch);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    for (let kill = 0; kill < 2; kill++) {
      ingest = await spawnService('ingest', env);
      const before = sent.length;
      // Let it work through a couple of hundred signals, then kill it mid-stream.
      await eventually(() => sent.length > before + 200, 30_000, 'more load while ingest runs');
      await ingest.stop('SIGKILL');
    }
    sending = false;
    await load;
    ingest = await spawnService('ingest', env);

    const counts = await eventually(async () => {
      const c = await sampleCounts();
      return sent.every((s) => c.has(`${s.assetId}@${s.timestampMs}`)) && c;
    }, 90_000, `all ${sent.length} signals on telemetry.samples`);
    const doubled = [...counts].filter(([, n]) => n > 1);
    expect({ sent: sent.length, published: counts.size, doubled }).toEqual({ sent: sent.length, published: sent.length, doubled: [] });
  });

  it('never shows a dead predecessor\'s open transaction, and the partition\'s next owner redoes the batch visible once', async () => {
    const groupId = `${prefix}ingest-fence-test`;
    const position = { groupId, topic: bus.codecs.topicName(topics.telemetryRaw), partition: 0, nextOffset: '1' };
    const sample = { assetId: 'fenced-asset', timestampMs: Date.now(), ingestedAtMs: Date.now(), metrics: { latency_ms: 5 }, region: null, provider: null, labels: {}, tenant: null };
    // The predecessor: same transactional id as the sender will use, a batch produced, never committed (killed).
    const zombie = bus.kafka.producer({ transactionalId: `${groupId}.${position.topic}.0`, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000 });
    await zombie.connect();
    const open = await zombie.transaction();
    await open.send({ topic: bus.codecs.topicName(topics.telemetrySamples), messages: [{ key: sample.assetId, value: bus.codecs.encode(topics.telemetrySamples, sample) }] });

    const senders = createTransactionalSenders(bus.kafka, bus.codecs);
    const startedAt = Date.now();
    try {
      await senders.send(position, [{ spec: topics.telemetrySamples, records: [{ key: sample.assetId, value: sample }] }]);
    } finally {
      await senders.close();
    }
    // Well inside the zombie's 60 s transaction timeout: initialising the id aborted its transaction.
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    await expect(open.commit()).rejects.toThrow();
    await zombie.disconnect().catch(() => undefined);

    const visible = (await bus.readValues(topics.telemetrySamples)).filter((s) => s.assetId === 'fenced-asset');
    expect(visible).toHaveLength(1);
    const admin = bus.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [position.topic] });
      expect(committed!.partitions.find((p) => p.partition === 0)?.offset).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });
});

// Regression (chaos run of 2026-12-05): the consumer's own commits raced the transactions', and one
// of an older offset, landing after a transaction's, moved the group back behind a batch already
// published; ingest, killed then, published it again. Ingest's consumer now commits nothing itself,
// so a batch with nothing to publish must still move the group on, through a transaction.
describe('ingest → telemetry.samples, offsets only through transactions', () => {
  it('commits past a batch of refused signals in a transaction, its signals dead-lettered once', async () => {
    const own = await createTestBus(uniquePrefix('ingest-eos-refused'), [topics.telemetryRaw, topics.telemetrySamples]);
    const redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'ingest-eos-refused-test' });
    await redis.connect();
    const ordering = resolveOrderingConfig({});
    const senders = createTransactionalSenders(own.kafka, own.codecs);
    const groupId = `${own.codecs.topicName(topics.telemetryRaw)}.refused-group`;
    const consumer = createBatchConsumer({
      kafka: own.kafka, codecs: own.codecs, producer: own.producer, groupId, logger: silentLogger, maxRetryBackoffMs: 200, commitOffsets: false,
      subscriptions: [subscription(topics.telemetryRaw, createIngestHandler({
        store: createStreamStore(redis, createKeyspace(own.codecs.topicName(topics.telemetryRaw)), ordering, 60_000),
        limits: resolveSignalLimits({}), ordering, now: Date.now,
        publish: (records, position) => (position ? senders.send(position, [{ spec: topics.telemetrySamples, records }]) : own.producer.send(topics.telemetrySamples, records)),
      }))],
    });
    const admin = own.kafka.admin();
    await admin.connect();
    const raw = own.codecs.topicName(topics.telemetryRaw);
    try {
      // A day ahead of the clock: refused (clock skew) by ingest's judgement.
      const future = Date.now() + 86_400_000;
      await own.producer.send(topics.telemetryRaw, [1, 2].map((i) => ({ key: 'refused-asset', value: latencySignal('refused-asset', future + i, 40) })));
      await consumer.start();
      const partition = await eventually(async () => (await admin.fetchTopicOffsets(raw)).find((p) => p.high !== p.low), 30_000, 'the signals on telemetry.raw');
      await eventually(async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [raw] });
        return committed!.partitions.find((p) => p.partition === partition.partition)?.offset === partition.high;
      }, 30_000, 'the group committed past the refused batch');
      const letters = await own.readAll(`${raw}.dlq`);
      expect(letters).toHaveLength(2);
      expect((await own.readValues(topics.telemetrySamples)).filter((s) => s.assetId === 'refused-asset')).toEqual([]);
    } finally {
      await consumer.stop();
      await senders.close();
      await admin.disconnect();
      await redis.quit();
      await own.close();
    }
  });
});
