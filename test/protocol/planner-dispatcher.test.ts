/**
 * The planner and dispatcher over Kafka, without the gateway: a requester stands in for a gateway
 * replica and sends ProtocolRequests as the gateway would after its checks. Real Kafka, registry
 * and Redis; the services run as their own processes with a unique topic and key prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProtocolReply } from '@maestro/contracts';
import { createRequester, silentLogger, type Requester } from '@maestro/bus';
import { createRedis } from '@maestro/state';
import type { Redis } from 'ioredis';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { deletePrefixed } from '../support/redis-keys';

const prefix = uniquePrefix('proto');
// A 1 s lease floor so that an abandoned work order expires within the test (steps here are short).
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, DISPATCHER_LEASE_MS: '1000', DISPATCHER_SWEEP_INTERVAL_MS: '200' };
let bus: TestBus;
let redis: Redis;
let gateway: Requester<typeof topics.protocolRequests, typeof topics.protocolReplies>;
let planner: SpawnedService;
let dispatcher: SpawnedService;

interface Reply<T = Record<string, unknown>> {
  status: ProtocolReply['status'];
  result: T;
  code: string | null;
  reasons: string[];
  details: Record<string, unknown> | null;
  raw: ProtocolReply;
}

async function call<T = Record<string, unknown>>(operation: string, charterId: string, payload: Record<string, unknown>, tenant = 'acme'): Promise<Reply<T>> {
  const now = Date.now();
  const raw = await gateway.request(charterId, {
    operation, charterId, tenant, caller: `agent-${tenant}`, payloadJson: JSON.stringify({ charterId, ...payload }), deadlineAtMs: now + 20_000, sentAtMs: now,
  }, { timeoutMs: 20_000 });
  return {
    status: raw.status, result: (raw.resultJson ? JSON.parse(raw.resultJson) : null) as T, code: raw.refusalCode, reasons: raw.reasons,
    details: raw.detailsJson ? (JSON.parse(raw.detailsJson) as Record<string, unknown>) : null, raw,
  };
}

async function expectOk<T = Record<string, unknown>>(operation: string, charterId: string, payload: Record<string, unknown>): Promise<T> {
  const reply = await call<T>(operation, charterId, payload);
  expect(reply, `${operation}: ${reply.code} ${reply.reasons.join('; ')}`).toMatchObject({ status: 'ok' });
  return reply.result;
}

const executors = [
  { id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http', 'llm'] },
  { id: 'w2', speed: 2, costPerMs: 0.002, trust: 0.95, capabilities: ['http', 'llm'] },
];
const charter = (overrides: Record<string, unknown> = {}) => ({ budget: { cost: 100, tokens: 1_000_000 }, deadlineMs: 600_000, executors, minTrust: 0.5, ...overrides });
const step = (id: string, durationMs: number, extra: Record<string, unknown> = {}) => ({ id, name: `step ${id}`, durationMs, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 }, ...extra });

interface Order { workOrderId: string; stepId: string; goalId: string; estimateMs: number }
interface Dispatched { workOrders: Order[]; idle: { code: string }[] }
interface Reported { resolution: string; planStatus: string; replan: unknown }

/**
 * Works a goal to the end as two executors would: take what is ready, report it (failing the
 * listed steps once), until the plan completes. Returns every report's result.
 */
async function work(charterId: string, goalId: string, options: { fail?: ReadonlySet<string>; stopAfter?: (stepId: string) => boolean; slower?: number } = {}): Promise<Reported[]> {
  const failed = new Set<string>();
  const reports: Reported[] = [];
  for (let round = 0; round < 50; round++) {
    const { workOrders } = await expectOk<Dispatched>('allocate', charterId, { goalId, executorIds: ['w1', 'w2'], maxOrdersPerExecutor: 2 });
    expect(workOrders.length, `round ${round}: nothing dispatched`).toBeGreaterThan(0);
    for (const order of workOrders) {
      const fail = options.fail?.has(order.stepId) && !failed.has(order.stepId);
      if (fail) failed.add(order.stepId);
      const report = await expectOk<Reported>('outcome.report', charterId, {
        workOrderId: order.workOrderId, status: fail ? 'failed' : 'completed',
        actualDurationMs: Math.round(order.estimateMs * (options.slower ?? 1)), actualCost: 2, ...(fail ? { detail: 'simulated failure' } : {}),
      });
      reports.push(report);
      if (report.planStatus === 'completed') return reports;
      if (options.stopAfter?.(order.stepId)) return reports;
    }
  }
  throw new Error(`goal ${goalId} did not complete in 50 rounds`);
}

async function startPlanner(): Promise<SpawnedService> {
  return spawnService('planner', env);
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.protocolRequests, topics.protocolReplies, topics.plans, topics.executions, topics.audit]);
  redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'planner-dispatcher-test' });
  await redis.connect();
  [planner, dispatcher] = await Promise.all([startPlanner(), spawnService('dispatcher', env)]);
  gateway = createRequester({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, requestSpec: topics.protocolRequests, replySpec: topics.protocolReplies,
    replicaId: 'gw-test', groupPrefix: `${prefix}gateway`, logger: silentLogger,
  });
  await gateway.start();
  await expectOk('charter.declare', 'ch-main', { tenant: 'acme', ...charter() });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([planner?.stop(), dispatcher?.stop()]);
  if (redis) {
    await deletePrefixed(redis, prefix);
    await redis.quit();
  }
  await bus?.close();
});

describe('planner and dispatcher over Kafka', () => {
  it('refines, commits, re-plans, survives a planner restart with its Redis keys gone, completes and traces credit', async () => {
    const steps = [
      step('fetch', 2_000, { tokens: 100 }),
      step('summarise', 4_000, { requirements: { capabilities: ['llm'], minTrust: 0.8 } }),
      step('publish', 1_000),
    ];
    const dependencies = [{ from: 'fetch', to: 'summarise' }, { from: 'summarise', to: 'publish' }];
    const refined = await expectOk<{ version: number; plan: { analysis: { criticalPath: string[] }; assignments: unknown[]; makespanMs: number } }>('goal.refine', 'ch-main', { goalId: 'g-report', expectedVersion: 0, intent: 'weekly report', steps, dependencies });
    expect(refined.version).toBe(1);
    expect(refined.plan.analysis.criticalPath).toEqual(['fetch', 'summarise', 'publish']);
    expect(refined.plan.assignments).toHaveLength(3);

    const conflict = await call('graph.commit', 'ch-main', { goalId: 'g-report', expectedVersion: 7 });
    expect(conflict).toMatchObject({ status: 'refused', code: 'version_conflict', details: { expectedVersion: 7, currentVersion: 1 } });
    expect(conflict.reasons[0]).toContain('7');
    await expectOk('graph.commit', 'ch-main', { goalId: 'g-report', expectedVersion: 1 });

    // fetch runs (late), then the caller re-plans the rest from what the dispatcher recorded.
    await work('ch-main', 'g-report', { stopAfter: (id) => id === 'fetch', slower: 3 });
    const replanned = await expectOk<{ version: number; committed: boolean; progressSource: string; remainder: { steps: { id: string }[] } }>('replan', 'ch-main', { goalId: 'g-report', expectedVersion: 1, reason: 'fetch ran 3x its estimate' });
    expect(replanned).toMatchObject({ version: 2, committed: true, progressSource: 'dispatcher' });
    expect(replanned.remainder.steps.map((s) => s.id)).toEqual(['summarise', 'publish']);

    // The planner stops mid-plan and its working copy is lost; the compacted topic brings it back.
    expect((await planner.stop('SIGTERM')).code).toBe(0);
    // Every planner key goes (state, kept requests, the replay marker); the state comes back whole.
    const stateKeys = [...await redis.keys(`${prefix}planner:charter:*`), ...await redis.keys(`${prefix}planner:version:*`)].sort();
    expect(stateKeys.length).toBeGreaterThan(0);
    const stateBefore = await redis.mget(stateKeys);
    await redis.del(...await redis.keys(`${prefix}planner:*`));
    planner = await startPlanner();
    expect([...await redis.keys(`${prefix}planner:charter:*`), ...await redis.keys(`${prefix}planner:version:*`)].sort()).toEqual(stateKeys);
    expect(await redis.mget(stateKeys)).toEqual(stateBefore);

    const reports = await work('ch-main', 'g-report');
    expect(reports.at(-1)!.planStatus).toBe('completed');
    const goals = await expectOk<{ goals: { goalId: string; status: string; latestVersion: number; committedVersion: number }[] }>('query.goals', 'ch-main', {});
    expect(goals.goals.find((g) => g.goalId === 'g-report')).toMatchObject({ status: 'completed', latestVersion: 2, committedVersion: 2 });

    const diff = await expectOk<{ unchanged: boolean; addedSteps: string[]; removedSteps: string[] }>('graph.diff', 'ch-main', { goalId: 'g-report', fromVersion: 1, toVersion: 2 });
    expect(diff).toMatchObject({ addedSteps: [], removedSteps: [] });

    const trace = await expectOk<{ complete: boolean; delayMs: number; steps: { stepId: string; delayMs: number }[]; executors: unknown[] }>('credit.trace', 'ch-main', { goalId: 'g-report' });
    expect(trace.complete).toBe(true);
    expect(trace.delayMs).toBeGreaterThan(0);
    expect(trace.steps.find((s) => s.stepId === 'fetch')!.delayMs).toBeGreaterThan(0);
    expect(trace.executors.length).toBeGreaterThan(0);
  });

  it('runs a replace compensation when a step fails for good, and the plan still completes', async () => {
    const steps = [
      step('a', 500),
      step('b', 500, { compensation: { name: 'undo b', durationMs: 100, cost: 0, requirements: { capabilities: [], minTrust: 0 } } }),
      step('c', 500),
    ];
    await expectOk('plan', 'ch-main', { goalId: 'g-saga', steps, dependencies: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] });
    const reports = await work('ch-main', 'g-saga', { fail: new Set(['b']) });
    expect(reports.map((r) => r.resolution)).toContain('compensation_started');
    expect(reports.at(-1)!.planStatus).toBe('completed');
    const trace = await expectOk<{ steps: { stepId: string }[] }>('credit.trace', 'ch-main', { goalId: 'g-saga' });
    expect(trace.steps.map((s) => s.stepId)).toContain('b:compensate');
  });

  it('diffs two refined versions step by step and edge by edge', async () => {
    const v1 = [step('x', 100), step('y', 100)];
    await expectOk('goal.refine', 'ch-main', { goalId: 'g-diff', steps: v1, dependencies: [{ from: 'x', to: 'y' }] });
    const v2 = [step('x', 300), step('z', 100)];
    const second = await expectOk<{ version: number }>('goal.refine', 'ch-main', { goalId: 'g-diff', expectedVersion: 1, steps: v2, dependencies: [{ from: 'x', to: 'z' }] });
    expect(second.version).toBe(2);
    const diff = await expectOk('graph.diff', 'ch-main', { goalId: 'g-diff', fromVersion: 1, toVersion: 2 });
    expect(diff).toMatchObject({
      addedSteps: ['z'], removedSteps: ['y'], changedSteps: [{ stepId: 'x', changes: [{ field: 'durationMs', from: 100, to: 300 }] }],
      addedEdges: [{ from: 'x', to: 'z' }], removedEdges: [{ from: 'x', to: 'y' }], unchanged: false,
    });
    const stale = await call('goal.refine', 'ch-main', { goalId: 'g-diff', expectedVersion: 1, steps: v2, dependencies: [] });
    expect(stale).toMatchObject({ status: 'refused', code: 'version_conflict', details: { expectedVersion: 1, currentVersion: 2 } });
  });

  it('re-plans a failed step with a compensation on request, as a new version', async () => {
    const steps = [step('load', 200), step('train', 1_000, { compensation: { name: 'roll back', durationMs: 50, cost: 0, requirements: { capabilities: [], minTrust: 0 } } })];
    await expectOk('plan', 'ch-main', { goalId: 'g-replan', steps, dependencies: [{ from: 'load', to: 'train' }] });
    const replanned = await expectOk<{ version: number; committed: boolean; compensations: unknown[] }>('graph.replan', 'ch-main', {
      goalId: 'g-replan', expectedVersion: 1, reason: 'train failed on w2',
      progress: { completed: [{ stepId: 'load', executorId: 'w1', actualDurationMs: 250, actualCost: 1.3 }], failed: [{ stepId: 'train', attempts: 1, spentCost: 2 }] },
    });
    expect(replanned).toMatchObject({ version: 2, committed: false, compensations: [{ failed: 'train', compensation: 'train:compensate', mode: 'replace' }] });
    const diff = await expectOk('graph.diff', 'ch-main', { goalId: 'g-replan', fromVersion: 1, toVersion: 2 });
    expect(diff).toMatchObject({ addedSteps: ['train:compensate'], removedSteps: ['train'] });
  });

  it('refuses a cyclic graph naming the cycle, and an infeasible budget with the numbers', async () => {
    const cyclic = await call('goal.refine', 'ch-main', {
      goalId: 'g-cycle', steps: [step('p', 10), step('q', 10), step('r', 10)],
      dependencies: [{ from: 'p', to: 'q' }, { from: 'q', to: 'r' }, { from: 'r', to: 'p' }],
    });
    expect(cyclic).toMatchObject({ status: 'refused', code: 'cycle' });
    expect([...(cyclic.details!.cycle as string[])].sort()).toEqual(['p', 'q', 'r']);
    expect(cyclic.reasons.join(' ')).toMatch(/-> .* -> /);

    await expectOk('charter.declare', 'ch-poor', charter({ budget: { cost: 2, tokens: 1_000 } }));
    const poor = await call('goal.refine', 'ch-poor', { goalId: 'g-big', steps: [step('s1', 1_000), step('s2', 1_000)], dependencies: [] });
    expect(poor).toMatchObject({ status: 'refused', code: 'budget_exhausted', details: { resource: 'cost', budget: 2 } });
    expect(poor.details!.minimum as number).toBeGreaterThan(2);
    expect(poor.reasons[0]).toMatch(/budget of 2/);
  });

  it("never shows or touches another tenant's charter", async () => {
    const query = await call('query.goals', 'ch-main', {}, 'globex');
    expect(query).toMatchObject({ status: 'refused', code: 'not_found' });
    expect(query.reasons.join(' ')).not.toContain('g-report');
    expect(await call('dispatch.next', 'ch-main', { executorId: 'w1' }, 'globex')).toMatchObject({ status: 'refused', code: 'not_found' });
    expect(await call('credit.trace', 'ch-main', { goalId: 'g-report' }, 'globex')).toMatchObject({ status: 'refused', code: 'not_found' });
    // Charter ids are per tenant (F7): globex declaring 'ch-main' declares its own, as for an unused id.
    expect(await call('charter.declare', 'ch-main', charter(), 'globex')).toMatchObject({ status: 'ok', result: { tenant: 'globex', revision: 1, redeclared: false } });
    expect(await call('query.goals', 'ch-main', {}, 'globex')).toMatchObject({ status: 'ok', result: { total: 0, goals: [] } });
    // The owner still sees its goals, a page at a time.
    const first = await expectOk<{ goals: unknown[]; nextCursor: string | null; total: number }>('query.goals', 'ch-main', { limit: 2 });
    expect(first.goals).toHaveLength(2);
    expect(first.total).toBeGreaterThan(2);
    const second = await expectOk<{ goals: { goalId: string }[] }>('query.goals', 'ch-main', { limit: 2, cursor: first.nextCursor });
    expect(second.goals.length).toBeGreaterThan(0);
    const completed = await expectOk<{ goals: { status: string }[] }>('query.goals', 'ch-main', { status: 'completed' });
    expect(completed.goals.every((g) => g.status === 'completed')).toBe(true);
    expect(completed.goals.map((g) => g.status)).toContain('completed');
  });

  it('returns the step of an abandoned work order to ready when its lease expires, across a dispatcher restart', async () => {
    await expectOk('plan', 'ch-main', { goalId: 'g-lease', steps: [step('only', 100)], dependencies: [] });
    const { workOrders } = await expectOk<Dispatched & { workOrders: (Order & { leaseExpiresAtMs: number })[] }>('dispatch.next', 'ch-main', { goalId: 'g-lease', executorId: 'w1' });
    expect(workOrders).toHaveLength(1);
    const abandoned = workOrders[0]!;
    // The dispatcher that leased it restarts: the lease index in Redis, not the process's memory,
    // says which charters have leases to expire.
    expect((await dispatcher.stop('SIGTERM')).code).toBe(0);
    dispatcher = await spawnService('dispatcher', env);
    // The timer, not a request, expires it: wait for its audit record.
    await eventually(async () => (await bus.readValues(topics.audit)).some((a) => a.kind === 'dispatch.lease_expired' && a.detailsJson.includes(abandoned.workOrderId)), 15_000, 'the lease to expire');
    const again = await expectOk<Dispatched>('dispatch.next', 'ch-main', { goalId: 'g-lease', executorId: 'w2' });
    expect(again.workOrders).toMatchObject([{ stepId: 'only', workOrderId: abandoned.workOrderId.replace(/1$/, '2') }]);
    const stale = await call('outcome.report', 'ch-main', { workOrderId: abandoned.workOrderId, status: 'completed', actualDurationMs: 100, actualCost: 1 });
    expect(stale).toMatchObject({ status: 'refused', code: 'version_conflict' });
    expect(stale.reasons[0]).toContain('stale');
    const done = await expectOk<Reported>('outcome.report', 'ch-main', { workOrderId: again.workOrders[0]!.workOrderId, status: 'completed', actualDurationMs: 100, actualCost: 1 });
    expect(done.planStatus).toBe('completed');
  });

  it('meters CPU and audits every call', async () => {
    const reply = await call('query.goals', 'ch-main', {});
    expect(reply.raw.service).toBe('planner');
    expect(reply.raw.cpuMicros).toBeGreaterThan(0);
    const audits = await bus.readValues(topics.audit);
    const kinds = new Set(audits.map((a) => a.kind));
    for (const kind of ['protocol.charter.declare', 'protocol.goal.refine', 'protocol.graph.commit', 'protocol.allocate', 'protocol.outcome.report', 'protocol.credit.trace']) expect(kinds).toContain(kind);
    expect(audits.some((a) => a.kind === 'protocol.goal.refine' && a.outcome === 'refused')).toBe(true);
  });
});
