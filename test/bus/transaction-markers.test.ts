/**
 * A partition written in transactions (ingest's telemetry.samples since it publishes exactly once)
 * ends with a commit marker, a control record no handler sees. Readers that wait for a group's
 * committed offsets to reach the end (the router's catch-up, hence its readiness) need the group to
 * commit past that marker: a read_committed consumer gets the records with their marker (they are
 * visible only once it is written), and the batch's last offset covers it. Against the real broker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { createBatchConsumer, createTransactionalSenders, silentLogger, subscription, type BatchConsumer } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('txn-markers');
let bus: TestBus;
let consumer: BatchConsumer | undefined;
const handled: string[] = [];

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetrySamples]);
});

afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
});

describe('a consumer of a topic written in transactions', () => {
  it('commits past the final commit marker, so its committed offsets reach the end', async () => {
    const topic = bus.codecs.topicName(topics.telemetrySamples);
    const senders = createTransactionalSenders(bus.kafka, bus.codecs);
    const sample = { assetId: 'marker-asset', timestampMs: Date.now(), ingestedAtMs: Date.now(), metrics: { latency_ms: 5 }, region: null, provider: null, labels: {}, tenant: null };
    try {
      // The offsets belong to some upstream group; what matters is the marker after the record.
      await senders.send({ groupId: `${prefix}upstream`, topic, partition: 0, nextOffset: '0' }, [{ spec: topics.telemetrySamples, records: [{ key: sample.assetId, value: sample }] }]);
    } finally {
      await senders.close();
    }
    const groupId = `${prefix}reader`;
    consumer = createBatchConsumer({
      kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId, logger: silentLogger,
      subscriptions: [subscription(topics.telemetrySamples, async (records) => {
        handled.push(...records.map((r) => r.key));
      })],
    });
    await consumer.start();
    await eventually(() => handled.length === 1, 30_000, 'the record');

    const admin = bus.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const written = ends.find((e) => BigInt(e.high) > 0n)!;
      // One record and its marker.
      expect(written.high).toBe('2');
      await eventually(async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return committed!.partitions.find((p) => p.partition === written.partition)?.offset === '2';
      }, 15_000, 'the group committed past the marker');
    } finally {
      await admin.disconnect();
    }
  });
});
