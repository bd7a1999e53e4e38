import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { spawnService } from '../support/services';

const prefix = uniquePrefix('sigterm');
const list = `${prefix}handled`;
const total = 600;
let bus: TestBus;
let redis: Redis;

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  redis = new Redis(stackEnv.REDIS_URL);
});
afterAll(async () => {
  await redis?.del(list);
  redis?.disconnect();
  await bus?.close();
});

function signal(i: number): HealthSignal {
  return { assetId: `asset-${i % 40}`, timestampMs: 1_795_000_000_000 + i, metrics: { latency_ms: i }, region: null, provider: null, labels: {}, tenant: null, receivedAtMs: null };
}

async function handled(): Promise<string[]> {
  return redis.lrange(list, 0, -1);
}

describe('a consumer stopped with SIGTERM mid-stream', () => {
  it('commits exactly what it processed, and its restart loses nothing', async () => {
    const records = Array.from({ length: total }, (_, i) => ({ key: signal(i).assetId, value: signal(i) }));
    for (let i = 0; i < total; i += 100) await bus.producer.send(topics.telemetryRaw, records.slice(i, i + 100));

    const env = { MAESTRO_TOPIC_PREFIX: prefix, FIXTURE_RECORD_LIST: list, FIXTURE_BATCH_DELAY_MS: '150' };
    const first = await spawnService({ name: 'recording-fixture', script: 'test/fixtures/recording-service.ts' }, env);
    await eventually(async () => (await handled()).length > 0, 30_000, 'the first batches to be handled');
    const { code } = await first.stop('SIGTERM');
    expect(code).toBe(0);

    const beforeRestart = await handled();
    expect(beforeRestart.length).toBeLessThan(total); // really stopped mid-stream

    // What the group committed per partition must be exactly one past the last offset it handled.
    const admin = bus.kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: `${prefix}recording-fixture`, topics: [`${prefix}telemetry.raw`] });
    await admin.disconnect();
    const lastHandled = new Map<number, bigint>();
    for (const entry of beforeRestart) {
      const [p, o] = entry.split(':');
      const offset = BigInt(o!);
      if (offset > (lastHandled.get(Number(p)) ?? -1n)) lastHandled.set(Number(p), offset);
    }
    for (const { partition, offset } of committed!.partitions) {
      const expected = lastHandled.has(partition) ? (lastHandled.get(partition)! + 1n).toString() : '-1';
      expect({ partition, offset }).toEqual({ partition, offset: expected });
    }

    const second = await spawnService({ name: 'recording-fixture', script: 'test/fixtures/recording-service.ts' }, env);
    const all = await eventually(async () => { const h = await handled(); return new Set(h).size >= total && h; }, 60_000, 'every record to be handled after the restart');
    await second.stop('SIGTERM');
    expect(new Set(all).size).toBe(total);
    // At-least-once allows redelivery, but with exact commits there is none to see.
    expect(all.length).toBe(total);
  });
});

describe('a service stopped with SIGTERM the moment it says ready', () => {
  it('shuts down gracefully, well inside kafkajs\'s 5 s fetch wait, its consumer gone from the group', async () => {
    // Its own prefix: a fresh, empty topic, so the consumer is idle in its first fetch.
    const atReady = uniquePrefix('sigterm-at-ready');
    const service = await spawnService({ name: 'recording-fixture', script: 'test/fixtures/recording-service.ts' }, {
      MAESTRO_TOPIC_PREFIX: atReady, MAESTRO_REDIS_PREFIX: atReady, FIXTURE_RECORD_LIST: `${atReady}handled`,
    });
    const started = performance.now();
    const exit = await service.stop('SIGTERM');
    const stopMs = performance.now() - started;

    // Said ready before its handlers were in place, it died of the signal (a group member left behind
    // until its session timed out); once they were, it waited out kafkajs's 5 s fetch.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(4_000);
    expect(await bus.groupState(`${atReady}recording-fixture`)).toEqual({ state: 'Empty', members: 0 });
  });
});
