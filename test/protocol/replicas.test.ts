/**
 * The planner and the dispatcher as replicas: two of each share the charter partitions; six charters
 * are worked concurrently, and one planner and one dispatcher are SIGKILLed mid-flow. Whatever the
 * dead replicas had committed, sent or not yet sent, every call gets its answer, every goal
 * completes, and every step succeeds exactly once. Then Redis loses the working copies under the
 * running survivors, and they rebuild them from the compacted topics before answering.
 * Real Kafka, registry and Redis; a requester stands in for the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProtocolReply } from '@maestro/contracts';
import { createRequester, silentLogger, type Requester } from '@maestro/bus';
import { createRedis } from '@maestro/state';
import type { Redis } from 'ioredis';
import { createTestBus, type TestBus } from '../support/test-bus';
import { stackEnv, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { deletePrefixed } from '../support/redis-keys';

const prefix = uniquePrefix('replicas');
// A short session timeout so that the group hands a dead replica's partitions on within seconds.
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, KAFKA_SESSION_TIMEOUT_MS: '6000' };
const charterIds = ['rc-0', 'rc-1', 'rc-2', 'rc-3', 'rc-4', 'rc-5'];
let bus: TestBus;
let redis: Redis;
let gateway: Requester<typeof topics.protocolRequests, typeof topics.protocolReplies>;
const replicas: SpawnedService[] = [];

async function call<T>(operation: string, charterId: string, payload: Record<string, unknown>): Promise<T> {
  const now = Date.now();
  // Long enough to outlast a dead replica's session and the rebalance that follows.
  const reply: ProtocolReply = await gateway.request(charterId, {
    operation, charterId, tenant: 'acme', caller: 'agent-acme', payloadJson: JSON.stringify({ charterId, ...payload }), deadlineAtMs: now + 60_000, sentAtMs: now,
  }, { timeoutMs: 60_000 });
  expect(reply.status, `${operation} on ${charterId}: ${reply.refusalCode} ${reply.reasons.join('; ')}`).toBe('ok');
  return JSON.parse(reply.resultJson!) as T;
}

const executors = [
  { id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] },
  { id: 'w2', speed: 2, costPerMs: 0.002, trust: 0.95, capabilities: ['http'] },
];
const step = (id: string) => ({ id, name: `step ${id}`, durationMs: 1_000, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 } });
// A diamond with a tail: two steps become ready at once, so both executors get work.
const goal = {
  steps: ['a', 'b', 'c', 'd', 'e'].map(step),
  dependencies: [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }, { from: 'd', to: 'e' }],
};

interface Order { workOrderId: string; stepId: string; estimateMs: number }

let reportsSent = 0;
let killAt: () => void = () => undefined;
const halfway = new Promise<void>((resolve) => { killAt = resolve; });

/** Declares, refines, commits and works a charter's two goals to completion, one after the other. */
async function flow(charterId: string): Promise<void> {
  await call('charter.declare', charterId, { tenant: 'acme', budget: { cost: 1_000, tokens: 1_000_000 }, deadlineMs: 3_600_000, executors, minTrust: 0.5 });
  for (const goalId of ['g1', 'g2']) {
    await call('goal.refine', charterId, { goalId, expectedVersion: 0, ...goal });
    await call('graph.commit', charterId, { goalId, expectedVersion: 1 });
    for (let round = 0; ; round++) {
      expect(round, `${charterId}/${goalId} did not complete`).toBeLessThan(20);
      // Right after the commit: the dispatcher must already see the committed plan.
      const { workOrders } = await call<{ workOrders: Order[] }>('allocate', charterId, { goalId, executorIds: ['w1', 'w2'], maxOrdersPerExecutor: 2 });
      expect(workOrders.length, `${charterId}/${goalId} round ${round}: nothing dispatched`).toBeGreaterThan(0);
      let status = '';
      for (const order of workOrders) {
        const reported = await call<{ planStatus: string; duplicate: boolean }>('outcome.report', charterId, {
          workOrderId: order.workOrderId, status: 'completed', actualDurationMs: order.estimateMs, actualCost: 1,
        });
        expect(reported.duplicate, `${order.workOrderId} was reported once`).toBe(false);
        status = reported.planStatus;
        if (++reportsSent === 12) killAt();
      }
      if (status === 'completed') break;
    }
  }
}

async function stateKeys(): Promise<string[]> {
  return [
    ...await redis.keys(`${prefix}planner:charter:*`), ...await redis.keys(`${prefix}planner:version:*`), ...await redis.keys(`${prefix}dispatcher:executions:*`),
  ].sort();
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.protocolRequests, topics.protocolReplies, topics.plans, topics.executions, topics.audit]);
  redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'replicas-test' });
  await redis.connect();
  replicas.push(...await Promise.all([
    spawnService('planner', { ...env, MAESTRO_REPLICA_ID: 'planner-1' }),
    spawnService('planner', { ...env, MAESTRO_REPLICA_ID: 'planner-2' }),
    spawnService('dispatcher', { ...env, MAESTRO_REPLICA_ID: 'dispatcher-1' }),
    spawnService('dispatcher', { ...env, MAESTRO_REPLICA_ID: 'dispatcher-2' }),
  ]));
  gateway = createRequester({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, requestSpec: topics.protocolRequests, replySpec: topics.protocolReplies,
    replicaId: 'gw-replicas', groupPrefix: `${prefix}gateway`, logger: silentLogger,
  });
  await gateway.start();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(replicas.map((r) => r.stop()));
  if (redis) {
    await deletePrefixed(redis, prefix);
    await redis.quit();
  }
  await bus?.close();
});

describe('planner and dispatcher replicas', () => {
  it('finish six charters exactly once while one planner and one dispatcher are killed mid-flow', async () => {
    const flows = Promise.all(charterIds.map(flow));
    await halfway;
    const [planner1, , dispatcher1] = replicas;
    expect((await planner1!.stop('SIGKILL')).signal).toBe('SIGKILL');
    expect((await dispatcher1!.stop('SIGKILL')).signal).toBe('SIGKILL');
    await flows;

    for (const charterId of charterIds) {
      const { goals } = await call<{ goals: { goalId: string; status: string }[] }>('query.goals', charterId, {});
      expect(goals.map((g) => `${g.goalId}:${g.status}`).sort(), charterId).toEqual(['g1:completed', 'g2:completed']);
    }
    // Each step of each goal succeeded once: one distinct audit of step_succeeded per step (a
    // re-sent request repeats its records, audit ids included).
    const audits = await bus.readValues(topics.audit);
    const succeeded = new Map<string, Set<string>>();
    for (const a of audits.filter((x) => x.kind === 'dispatch.step_succeeded')) {
      const details = JSON.parse(a.detailsJson) as { goalId: string; stepId: string };
      const key = `${a.subjectId}/${details.goalId}/${details.stepId}`;
      succeeded.set(key, (succeeded.get(key) ?? new Set()).add(a.auditId));
    }
    const expected = charterIds.flatMap((c) => ['g1', 'g2'].flatMap((g) => goal.steps.map((s) => `${c}/${g}/${s.id}`))).sort();
    expect([...succeeded.keys()].sort()).toEqual(expected);
    const twice = [...succeeded].filter(([, ids]) => ids.size !== 1).map(([key]) => key);
    expect(twice).toEqual([]);
  }, 240_000);

  it('rebuilds the working copies from the compacted topics when Redis loses them under running replicas', async () => {
    const keys = await stateKeys();
    expect(keys.length).toBeGreaterThan(charterIds.length);
    const before = await redis.mget(keys);
    await deletePrefixed(redis, prefix);

    // Dispatcher and planner each find their copy gone and replay before answering (the planner's
    // goal status reads the dispatcher's copy, so the dispatcher goes first).
    const trace = await call<{ complete: boolean }>('credit.trace', 'rc-3', { goalId: 'g2' });
    expect(trace.complete).toBe(true);
    const { goals } = await call<{ goals: { goalId: string; status: string }[] }>('query.goals', 'rc-0', {});
    expect(goals.map((g) => `${g.goalId}:${g.status}`).sort()).toEqual(['g1:completed', 'g2:completed']);
    expect(await stateKeys()).toEqual(keys);
    expect(await redis.mget(keys)).toEqual(before);
  }, 120_000);
});
