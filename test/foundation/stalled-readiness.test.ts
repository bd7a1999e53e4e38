/**
 * Honest readiness (issue 14, item 4): a consumer that has retried the same records for longer than
 * CONSUMER_STALL_AFTER_MS is not ready. /readyz answers 503 naming the topic, partition and error,
 * maestro_consumer_stalled is 1 and maestro_consumer_lag counts the stuck records; once the failure
 * passes the records are handled and the service is ready again. A real service process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { topics } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';
import { spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('stalled');
const outageKey = `${prefix}outage`;
const list = `${prefix}handled`;
let redis: Redis;
let bus: TestBus;
let service: SpawnedService;

interface Readyz { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> }

async function readyz(): Promise<{ status: number; body: Readyz }> {
  const response = await fetch(`${service.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readyz };
}

/** The value of a metric line with these labels, from /metrics. */
async function metric(name: string, partition: number): Promise<number | undefined> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('topic="telemetry.raw"') && l.includes(`partition="${partition}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

beforeAll(async () => {
  redis = new Redis(stackEnv.REDIS_URL);
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  service = await spawnService({ name: 'outage-fixture', script: 'test/fixtures/outage-service.ts' }, {
    MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, FIXTURE_OUTAGE_KEY: outageKey, FIXTURE_RECORD_LIST: list, CONSUMER_STALL_AFTER_MS: '1500',
  });
});

afterAll(async () => {
  await service?.stop('SIGTERM');
  await bus?.close();
  await redis?.del(outageKey, list);
  redis?.disconnect();
});

describe('a consumer whose records keep failing transiently', () => {
  it('is not ready past the bound (503 naming topic, partition and error; stalled gauge 1; lag counts the stuck records), and is ready again once they are handled', async () => {
    expect((await readyz()).status).toBe(200);
    await redis.set(outageKey, '1');
    const key = 'asset-stuck';
    await bus.producer.send(topics.telemetryRaw, [1, 2, 3].map((latency) => ({ key, value: latencySignal(key, Date.now(), latency) })));

    const notReady = await eventually(async () => {
      const r = await readyz();
      return r.status === 503 && r;
    }, 60_000, '/readyz to answer 503');
    expect(notReady.body.ready).toBe(false);
    const group = notReady.body.checks[`group ${prefix}outage-fixture`]!;
    expect(group.ok).toBe(false);
    const [, partition] = /partition (\d+) stalled at offset \d+ for \d+ ms/.exec(group.error ?? '') ?? [];
    expect(group.error).toContain(`${prefix}telemetry.raw partition ${partition} stalled at offset 0`);
    expect(group.error).toContain('TransientError: the downstream store is away');
    // Kafka, the registry and Redis answer: the service is unready because it does not move, and says so.
    expect(notReady.body.checks.redis).toEqual({ ok: true });

    await eventually(async () => (await metric('maestro_consumer_stalled', Number(partition))) === 1, 15_000, 'maestro_consumer_stalled 1');
    expect(await metric('maestro_consumer_lag', Number(partition))).toBe(3);
    expect(await redis.llen(list)).toBe(0);

    await redis.del(outageKey);
    await eventually(async () => (await readyz()).status === 200, 60_000, '/readyz 200 again');
    await eventually(async () => (await redis.llen(list)) === 3, 30_000, 'the three records handled');
    expect(await metric('maestro_consumer_stalled', Number(partition))).toBe(0);
    expect(await metric('maestro_consumer_lag', Number(partition))).toBe(0);
  });
});
