/**
 * A test file's own topics (under a fresh prefix) and a Redis connection, opened before its tests
 * and closed, with the prefix's keys deleted, after them. Call at the top level of a test file.
 */
import { afterAll, beforeAll } from 'vitest';
import type { TopicSpec } from '@maestro/contracts';
import type { Keyspace, Redis } from '@maestro/state';
import { createTestBus, type TestBus } from './test-bus';
import { useRedis } from './redis-keys';

export interface BusAndRedis {
  readonly prefix: string;
  readonly keys: Keyspace;
  /** Set once the file's beforeAll has run. */
  readonly bus: TestBus;
  readonly redis: Redis;
}

export function useBusAndRedis(label: string, specs: readonly TopicSpec[]): BusAndRedis {
  const db = useRedis(label);
  let bus: TestBus | undefined;
  beforeAll(async () => {
    bus = await createTestBus(db.prefix, specs);
  });
  afterAll(async () => {
    await bus?.close();
  });
  return {
    prefix: db.prefix, keys: db.keys,
    get bus() { return bus!; },
    get redis() { return db.redis; },
  };
}
