/**
 * The consumer against the real broker: a handler that fails on one record of a batch loses only that
 * record (dead-lettered with the error), and a partition whose records keep failing transiently
 * neither holds the consumer's other partitions nor hides: it is reported stalled, with its lag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { topics, type DeadLetter } from '@maestro/contracts';
import { BusError, createBatchConsumer, createBusMetrics, silentLogger, subscription, TransientError, type BatchConsumer } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';
import { decodeDeadLetter } from '../support/dead-letters';

async function deadLetters(bus: TestBus, topic: string, atLeast: number): Promise<DeadLetter[]> {
  return eventually(async () => {
    const raw = await bus.readAll(`${topic}.dlq`);
    return raw.length >= atLeast && raw.map((l) => decodeDeadLetter(l.value));
  }, 30_000, `${atLeast} dead letter(s) on ${topic}.dlq`);
}

/** A metric's value for one label set, from the registry's text exposition. */
async function gauge(registry: Registry, name: string, partition: number): Promise<number | undefined> {
  const text = await registry.getSingleMetricAsString(name);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`partition="${partition}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('a handler that throws a non-transient error on one record of a batch', () => {
  const prefix = uniquePrefix('poison-handler');
  let bus: TestBus;
  let consumer: BatchConsumer;
  const handled: number[] = [];
  const batchSizes: number[] = [];

  beforeAll(async () => {
    bus = await createTestBus(prefix, [topics.telemetryRaw]);
    consumer = createBatchConsumer({
      kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
      subscriptions: [subscription(topics.telemetryRaw, async (records) => {
        batchSizes.push(records.length);
        // A bug that only one record triggers: the whole call fails, as a real handler's would.
        if (records.some((r) => r.value.metrics.latency_ms === 13)) throw new TypeError("Cannot read properties of undefined (reading 'map')");
        // An output the broker can never take, behind an I/O wrapper of the handler's own.
        if (records.some((r) => r.value.metrics.latency_ms === 16)) throw new Error('publishing failed', { cause: new BusError('RECORD_TOO_LARGE', 'a record for audit is 1300000 bytes') });
        handled.push(...records.map((r) => r.value.metrics.latency_ms!));
      })],
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
  });

  it('dead-letters that record with the error and handles every other record once, in order', async () => {
    const key = 'asset-bug';
    await bus.producer.send(topics.telemetryRaw, [11, 12, 13, 14, 15, 16, 17].map((latency) => ({ key, value: latencySignal(key, Date.now(), latency) })));

    const letters = await deadLetters(bus, `${prefix}telemetry.raw`, 2);
    await eventually(() => handled.length >= 5, 30_000, 'the five healthy records');
    expect(handled).toEqual([11, 12, 14, 15, 17]);
    expect(letters).toHaveLength(2);
    expect(letters[0]).toMatchObject({ errorCode: 'HANDLER_FAILED', sourceTopic: `${prefix}telemetry.raw`, sourceOffset: '2', key: Buffer.from(key) });
    expect(letters[0]!.reason).toBe("TypeError: Cannot read properties of undefined (reading 'map')");
    // A bus error's code is kept, found through the wrapper.
    expect(letters[1]).toMatchObject({ errorCode: 'RECORD_TOO_LARGE', sourceOffset: '5', reason: 'Error: publishing failed ← BusError: a record for audit is 1300000 bytes' });
    // The poison was found by splitting the batch, not by handing records over one by one from the start.
    expect(batchSizes[0]).toBeGreaterThan(1);
  });
});

describe('a partition whose records keep failing transiently', () => {
  const prefix = uniquePrefix('poison-stall');
  const metrics = new Registry();
  let bus: TestBus;
  let consumer: BatchConsumer;
  let storeAway = true;
  const handled: { partition: number; latency: number }[] = [];
  let raw: Awaited<ReturnType<typeof rawProducer>>;

  async function rawProducer() {
    const producer = bus.kafka.producer();
    await producer.connect();
    return producer;
  }

  /** Sends one valid signal to an explicit partition, bypassing the key's partitioner. */
  async function sendTo(partition: number, latency: number): Promise<void> {
    const value = bus.codecs.encode(topics.telemetryRaw, latencySignal(`asset-p${partition}`, Date.now(), latency));
    await raw.send({ topic: `${prefix}telemetry.raw`, messages: [{ key: `asset-p${partition}`, value, partition }] });
  }

  beforeAll(async () => {
    bus = await createTestBus(prefix, [topics.telemetryRaw]);
    raw = await rawProducer();
    consumer = createBatchConsumer({
      kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
      metrics: createBusMetrics(metrics), stallAfterMs: 1_000, maxRetryBackoffMs: 300,
      subscriptions: [subscription(topics.telemetryRaw, async (records, { partition }) => {
        if (partition === 0 && storeAway) throw new TransientError('the store for partition 0 is away');
        handled.push(...records.map((r) => ({ partition, latency: r.value.metrics.latency_ms! })));
      })],
    });
    await consumer.start();
  });

  afterAll(async () => {
    await raw?.disconnect();
    await consumer?.stop();
    await bus?.close();
  });

  it('lets the other partitions flow, reports itself stalled with its lag, and recovers once the failure passes', async () => {
    await sendTo(0, 100);
    await sendTo(0, 101);
    await sendTo(1, 200);
    await eventually(() => handled.some((h) => h.partition === 1), 30_000, 'partition 1 handled while partition 0 fails');

    const [stall] = await eventually(() => consumer.stalled().length > 0 && consumer.stalled(), 30_000, 'partition 0 reported stalled');
    expect(stall).toMatchObject({ topic: `${prefix}telemetry.raw`, partition: 0, error: 'TransientError: the store for partition 0 is away' });
    expect(stall!.attempts).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await gauge(metrics, 'maestro_consumer_stalled', 0)) === 1, 10_000, 'maestro_consumer_stalled 1');
    // Set on each retry from that fetch's high watermark: both records once a fetch has seen the second.
    await eventually(async () => (await gauge(metrics, 'maestro_consumer_lag', 0)) === 2, 15_000, 'maestro_consumer_lag 2 while stuck');

    // Records arriving on other partitions while partition 0 is stuck are still fetched and handled.
    for (const p of [1, 2, 3, 4, 5]) await sendTo(p, 300 + p);
    await eventually(() => handled.filter((h) => h.latency >= 300).length === 5, 30_000, 'later records of the other partitions');
    expect(handled.some((h) => h.partition === 0)).toBe(false);

    storeAway = false;
    await eventually(() => handled.filter((h) => h.partition === 0).length === 2, 30_000, 'partition 0 handled after recovery');
    expect(handled.filter((h) => h.partition === 0).map((h) => h.latency)).toEqual([100, 101]);
    // The handler returns before the consumer settles the batch and clears its stall: wait for that.
    await eventually(() => consumer.stalled().length === 0, 10_000, 'the stall cleared after recovery');
    expect(await gauge(metrics, 'maestro_consumer_stalled', 0)).toBe(0);
    expect(await gauge(metrics, 'maestro_consumer_lag', 0)).toBe(0);
  });
});

describe('a handler that does not return', () => {
  const prefix = uniquePrefix('poison-hung');
  const metrics = new Registry();
  let bus: TestBus;
  let consumer: BatchConsumer;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handled: string[] = [];

  beforeAll(async () => {
    bus = await createTestBus(prefix, [topics.telemetryRaw]);
    consumer = createBatchConsumer({
      kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
      metrics: createBusMetrics(metrics), stallAfterMs: 1_000,
      subscriptions: [subscription(topics.telemetryRaw, async (records) => {
        await released; // a call to a store that never answers, with no timeout of its own
        handled.push(...records.map((r) => r.key));
      })],
    });
    await consumer.start();
  });

  afterAll(async () => {
    release();
    await consumer?.stop();
    await bus?.close();
  });

  it('is reported stalled once it has run past the bound, and no longer once it returns', async () => {
    const key = 'asset-hung';
    await bus.producer.send(topics.telemetryRaw, [{ key, value: latencySignal(key, Date.now(), 7) }]);
    const [stall] = await eventually(() => consumer.stalled().length > 0 && consumer.stalled(), 30_000, 'the hung batch reported stalled');
    expect(stall).toMatchObject({ topic: `${prefix}telemetry.raw`, offset: '0', error: 'the handler has not returned' });
    await eventually(async () => (await gauge(metrics, 'maestro_consumer_stalled', stall!.partition)) === 1, 10_000, 'maestro_consumer_stalled 1 with no event to set it');

    release();
    await eventually(() => handled.length === 1, 30_000, 'the batch to finish');
    await eventually(() => consumer.stalled().length === 0, 10_000, 'the stall cleared once the handler returned');
    expect(await gauge(metrics, 'maestro_consumer_stalled', stall!.partition)).toBe(0);
  });
});
