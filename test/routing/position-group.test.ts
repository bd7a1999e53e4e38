/**
 * Where a router replica's view group starts reading (services/router/src/catch-up.ts), against the
 * real broker: the whole of one topic, another from a point in time, committed for every partition,
 * the short-lived member gone afterwards; and a refusal, not a silent half-positioned group, while
 * another member is in it. (That it takes one join and no 5 s fetch rounds is a time, measured by hand:
 * 0.3 s against 15 s for admin.setOffsets at load 4.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Consumer } from 'kafkajs';
import { positionGroup } from '../../services/router/src/catch-up';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('position-group');
const registry = `${prefix}assets`;
const samples = `${prefix}samples`;
let bus: TestBus;
let admin: Admin;
let squatter: Consumer | undefined;
const cutMs = Date.now() - 60_000;

beforeAll(async () => {
  bus = await createTestBus(prefix, []);
  admin = bus.kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: registry, numPartitions: 2 }, { topic: samples, numPartitions: 2 }] });
  const producer = bus.kafka.producer();
  await producer.connect();
  await producer.send({ topic: registry, messages: [0, 1, 0, 1, 0].map((partition, i) => ({ partition, value: `asset-${i}` })) });
  // Per partition: two samples from before the cut, then three after it.
  const stamps = [cutMs - 600_000, cutMs - 300_000, cutMs + 1_000, cutMs + 2_000, cutMs + 3_000];
  for (const partition of [0, 1]) {
    await producer.send({ topic: samples, messages: stamps.map((t) => ({ partition, value: String(t), timestamp: String(t) })) });
  }
  await producer.disconnect();
});

afterAll(async () => {
  await squatter?.disconnect();
  await admin?.deleteTopics({ topics: [registry, samples] }).catch(() => undefined);
  await admin?.disconnect();
  await bus?.close();
});

describe('positioning a view group', () => {
  it('commits the beginning of one topic and the first record at or after a time on another, and returns the ends to reach', async () => {
    const groupId = `${prefix}view-a`;
    const ends = await positionGroup(bus.kafka, admin, groupId, [
      { topic: registry, from: 'earliest' },
      { topic: samples, from: 'time', atMs: cutMs },
    ]);

    const committed = await admin.fetchOffsets({ groupId, topics: [registry, samples] });
    const at = Object.fromEntries(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic === registry ? 'registry' : 'samples'}/${p.partition}`, p.offset])));
    expect(at).toEqual({ 'registry/0': '0', 'registry/1': '0', 'samples/0': '2', 'samples/1': '2' });
    expect(ends.get(registry)).toEqual(new Map([[0, 3n], [1, 2n]]));
    expect(ends.get(samples)).toEqual(new Map([[0, 5n], [1, 5n]]));
    // The short-lived member left: the group is free for the replica's own consumer.
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]?.members).toEqual([]);
  });

  it('refuses while another member holds the group, leaving its offsets alone', async () => {
    const groupId = `${prefix}view-b`;
    squatter = bus.kafka.consumer({ groupId, sessionTimeout: 30_000 });
    await squatter.connect();
    await squatter.subscribe({ topics: [registry] });
    await squatter.run({ eachMessage: async () => undefined });
    await eventually(async () => (await admin.describeGroups([groupId])).groups[0]?.state === 'Stable', 30_000, 'the squatter holds the group');

    await expect(positionGroup(bus.kafka, admin, groupId, [{ topic: samples, from: 'time', atMs: cutMs }])).rejects.toThrow(/still has members/);
    const committed = await admin.fetchOffsets({ groupId, topics: [samples] });
    expect(committed[0]?.partitions.map((p) => p.offset)).toEqual(['-1', '-1']);
  });
});
