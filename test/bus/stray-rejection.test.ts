/**
 * Regression: a rejection whose offset was not among the records the handler was handed was dropped
 * without a trace (no dead letter, no log), while the record it meant was committed with the batch;
 * and a record rejected twice counted twice against the handled ones. Against the real broker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { createBatchConsumer, silentLogger, subscription, type BatchConsumer } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('stray-reject');
const topic = `${prefix}telemetry.raw`;
let bus: TestBus;
let consumer: BatchConsumer;
const seen: number[] = [];

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  consumer = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
    subscriptions: [subscription(topics.telemetryRaw, async (records) => {
      seen.push(...records.map((r) => r.value.metrics.latency_ms!));
      // A handler with an off-by-one: it refuses latency 2 under the wrong offset, and latency 3 twice.
      return records.flatMap((r) => {
        if (r.value.metrics.latency_ms === 2) return [{ offset: String(BigInt(r.offset) + 1000n), code: 'too_slow', reason: 'latency 2 is refused' }];
        if (r.value.metrics.latency_ms === 3) return [{ offset: r.offset, code: 'odd', reason: 'first' }, { offset: r.offset, code: 'odd', reason: 'again' }];
        return [];
      });
    })],
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
});

describe('a rejection naming a record the handler was not handed', () => {
  it('is dead-lettered with the offset it claimed, not dropped; a record rejected twice is dead-lettered once', async () => {
    const key = 'asset-stray';
    await bus.producer.send(topics.telemetryRaw, [1, 2, 3, 4].map((latency) => ({ key, value: latencySignal(key, Date.now(), latency) })));
    await eventually(() => seen.includes(4), 30_000, 'the batch to be handled');

    const letters = await eventually(async () => {
      const found = await bus.readAll(`${topic}.dlq`);
      return found.length >= 2 && found.map((l) => decodeDeadLetter(l.value));
    }, 30_000, 'two dead letters');
    const stray = letters.find((l) => l.errorCode === 'too_slow');
    expect(stray).toMatchObject({ sourceTopic: topic, value: null });
    expect(stray!.reason).toMatch(/^the handler rejected offset '100\d', which is not among the records it was handed \(offsets 0\.\.3\): latency 2 is refused$/);
    const twice = letters.filter((l) => l.errorCode === 'odd');
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatchObject({ sourceOffset: '2', reason: 'first' });
    // Nothing else: a batch's letters go out in one request, so the two found are all there are.
    expect(letters).toHaveLength(2);
  });
});
