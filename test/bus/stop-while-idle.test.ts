/**
 * Stopping a consumer against the real broker. kafkajs's stop waits for the fetch in flight, which an
 * idle broker holds for the consumer's fetch wait: with kafkajs's default of 5 s, every service
 * stopped just after it joined took 5 s to stop. The bound now is the consumer's own, shorter wait;
 * the stop still lets the batch in hand finish and commit, and leaves the group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createBatchConsumer, silentLogger, subscription, type BatchConsumer, type BatchHandler } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';

const prefix = uniquePrefix('stop-idle');
let bus: TestBus;
let admin: Admin;

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  admin = bus.kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await bus?.close();
});

function consumerIn(groupId: string, handler: BatchHandler<HealthSignal>): BatchConsumer {
  return createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId, logger: silentLogger,
    subscriptions: [subscription(topics.telemetryRaw, handler)],
  });
}

describe('a consumer stopped right after it joined its group', () => {
  it('stops well inside kafkajs\'s 5 s fetch wait, and leaves the group', async () => {
    const groupId = `${prefix}joined-then-stopped`;
    const consumer = consumerIn(groupId, async () => {});
    await consumer.start();
    // The first fetch has just gone out and finds nothing: the broker holds it for the whole wait.
    const started = performance.now();
    await consumer.stop();
    const stopMs = performance.now() - started;

    // 500 ms of fetch wait and a LeaveGroup; kafkajs's default wait made this 5 s every time. The bound
    // leaves room for a loaded machine and still tells the two apart.
    expect(stopMs).toBeLessThan(4_000);
    expect(await bus.groupState(groupId)).toEqual({ state: 'Empty', members: 0 });
  });
});

describe('a consumer stopped while a batch is in hand', () => {
  it('lets the batch finish and commits it before it leaves the group', async () => {
    const groupId = `${prefix}stopped-mid-batch`;
    let entered!: () => void;
    const inHand = new Promise<void>((resolve) => { entered = resolve; });
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    const handled: string[] = [];
    const consumer = consumerIn(groupId, async (records) => {
      entered();
      await released;
      handled.push(...records.map((r) => r.offset));
    });
    await consumer.start();
    await bus.producer.send(topics.telemetryRaw, [{ key: 'asset-stop', value: latencySignal('asset-stop', Date.now(), 7) }]);
    await inHand;

    const stopping = consumer.stop();
    // Longer than the fetch wait: a stop that did not wait for the batch would be over by now.
    const early = await Promise.race([stopping.then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 1_500))]);
    expect(early).toBe('waiting');
    release();
    await stopping;

    expect(handled).toEqual(['0']);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [`${prefix}telemetry.raw`] });
    expect(committed!.partitions.filter((p) => p.offset !== '-1')).toEqual([{ partition: expect.any(Number), offset: '1', metadata: null }]);
    expect(await bus.groupState(groupId)).toEqual({ state: 'Empty', members: 0 });
  });
});
