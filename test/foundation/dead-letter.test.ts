import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createBatchConsumer, silentLogger, subscription, type BatchConsumer } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('dlq');
const topic = `${prefix}telemetry.raw`;
let bus: TestBus;
let consumer: BatchConsumer;
const handled: string[] = [];

function signal(assetId: string, latency: number): HealthSignal {
  return { assetId, timestampMs: Date.now(), metrics: { latency_ms: latency }, region: null, provider: null, labels: {}, tenant: null, receivedAtMs: null };
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  consumer = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
    subscriptions: [
      subscription(topics.telemetryRaw, async (records) => {
        // The service's own validation: a negative latency is refused, everything else handled.
        const rejections = records.filter((r) => (r.value.metrics.latency_ms ?? 0) < 0).map((r) => ({ offset: r.offset, code: 'negative_value', reason: 'latency_ms must not be negative' }));
        handled.push(...records.filter((r) => (r.value.metrics.latency_ms ?? 0) >= 0).map((r) => r.key));
        return rejections;
      }, { fromBeginning: true }),
    ],
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
});

describe('poison records', () => {
  it('go to <topic>.dlq with their original bytes, headers and reason, and the records after them are processed', async () => {
    // Everything on one key, so one partition, so the order below is the order consumed.
    const key = 'asset-poison';
    const garbage = Buffer.from('{"this is":"json, not avro"}');
    const producer = bus.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key, value: garbage, headers: { origin: 'legacy-agent' } }] });
    await producer.disconnect();
    await bus.producer.send(topics.telemetryRaw, [
      { key, value: signal(key, 12) },
      { key, value: signal(key, -5) },
      { key, value: signal(key, 13) },
    ]);

    await eventually(() => handled.length >= 2, 30_000, 'the valid records after the poison to be handled');
    expect(handled).toEqual([key, key]);

    const letters = await eventually(async () => {
      const raw = await bus.readAll(`${topic}.dlq`);
      return raw.length >= 2 && raw;
    }, 30_000, 'two dead letters');
    const decoded = letters.map((l) => ({ key: l.key, letter: decodeDeadLetter(l.value) }));
    const notAvro = decoded.find((d) => d.letter.errorCode === 'NOT_WIRE_FORMAT')!;
    expect(notAvro.key).toBe(key);
    expect(notAvro.letter.value?.equals(garbage)).toBe(true);
    expect(notAvro.letter.headers).toEqual([{ name: 'origin', value: Buffer.from('legacy-agent') }]);
    expect(notAvro.letter.sourceTopic).toBe(topic);
    expect(notAvro.letter.reason).toMatch(/wire-format/);

    const refused = decoded.find((d) => d.letter.errorCode === 'negative_value')!;
    expect(refused.letter.reason).toBe('latency_ms must not be negative');
    expect(refused.letter.consumerGroup).toBe(`${prefix}reader`);
    expect(refused.letter.headers.map((h) => h.name)).toContain('traceparent');
  });
});
