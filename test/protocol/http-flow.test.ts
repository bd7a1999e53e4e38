/**
 * The whole MAESTRO flow through HTTP: signed calls to the gateway, which dispatches them over Kafka
 * to the real planner and dispatcher and waits for their replies. Two gateway replicas share one
 * topic and key prefix with the services; calls alternate between them, so every reply has to find
 * its way back to the replica that is waiting for it. Real Kafka, registry and Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { callSigned, newCaller, writeTrustStore, type Called } from '../support/signed-client';

const prefix = uniquePrefix('http-flow');
const dir = mkdtempSync(join(tmpdir(), 'maestro-http-flow-'));
const agent = newCaller('agent-acme', 'acme');
const charterId = 'ch-http';
let gatewayA: SpawnedService;
let gatewayB: SpawnedService;
let planner: SpawnedService;
let dispatcher: SpawnedService;

type Via = 'A' | 'B';
const urlOf = (via: Via): string => (via === 'A' ? gatewayA : gatewayB).url;

/** A call that must succeed: 200 with `{result, audit}`, the audit id also in the header. */
async function ok<T = Record<string, unknown>>(via: Via, operation: string, payload: Record<string, unknown>): Promise<T> {
  const r: Called = await callSigned(urlOf(via), agent, operation, { charterId, ...payload });
  expect(r.status, `${operation} via ${via}: ${JSON.stringify(r.body)}`).toBe(200);
  expect(Object.keys(r.body).sort()).toEqual(['audit', 'result']);
  expect(r.body.audit).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.headers.get('maestro-audit-id')).toBe(r.body.audit);
  return r.body.result as T;
}

const executors = [
  { id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http', 'llm'] },
  { id: 'w2', speed: 2, costPerMs: 0.002, trust: 0.95, capabilities: ['http', 'llm'] },
];
const step = (id: string, durationMs: number, extra: Record<string, unknown> = {}) => ({ id, name: `step ${id}`, durationMs, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 }, ...extra });
const undo = (name: string) => ({ name, durationMs: 100, cost: 0, requirements: { capabilities: [], minTrust: 0 } });

interface Order { workOrderId: string; stepId: string; goalId: string; executorId: string; estimateMs: number }
interface Dispatched { charterId: string; workOrders: Order[] }
interface Reported { goalId: string; workOrderId: string; stepId: string; resolution: string; planStatus: string }
interface GoalRow { goalId: string; status: string; latestVersion: number; committedVersion: number | null }

/**
 * Works a goal to the end as executors w1 and w2 would: take what is ready, report it (failing the
 * listed steps once, running the listed steps `slower` times their estimate), until the plan completes.
 * Dispatch and report alternate between the two gateways. Returns the orders and the reports in order.
 */
async function work(goalId: string, options: { fail?: ReadonlySet<string>; slower?: Readonly<Record<string, number>>; firstByDispatchNext?: boolean } = {}) {
  const failed = new Set<string>();
  const orders: Order[] = [];
  const reports: Reported[] = [];
  for (let round = 0; round < 30; round++) {
    const via: Via = round % 2 === 0 ? 'A' : 'B';
    const other: Via = via === 'A' ? 'B' : 'A';
    const { workOrders } = round === 0 && options.firstByDispatchNext
      ? await ok<Dispatched>(via, 'dispatch.next', { goalId, executorId: 'w1' })
      : await ok<Dispatched>(via, 'allocate', { goalId, executorIds: ['w1', 'w2'], maxOrdersPerExecutor: 2 });
    expect(workOrders.length, `round ${round} of ${goalId}: nothing dispatched`).toBeGreaterThan(0);
    for (const order of workOrders) {
      expect(order.goalId).toBe(goalId);
      orders.push(order);
      const fail = options.fail?.has(order.stepId) === true && !failed.has(order.stepId);
      if (fail) failed.add(order.stepId);
      const report = await ok<Reported>(other, 'outcome.report', {
        workOrderId: order.workOrderId, status: fail ? 'failed' : 'completed',
        actualDurationMs: Math.round(order.estimateMs * (options.slower?.[order.stepId] ?? 1)), actualCost: 2, ...(fail ? { detail: 'simulated failure' } : {}),
      });
      expect(report).toMatchObject({ goalId, workOrderId: order.workOrderId, stepId: order.stepId });
      reports.push(report);
      if (report.planStatus === 'completed') return { orders, reports };
    }
  }
  throw new Error(`goal ${goalId} did not complete in 30 rounds`);
}

beforeAll(async () => {
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json'), GATEWAY_CALL_TIMEOUT_MS: '15000' };
  [planner, dispatcher, gatewayA, gatewayB] = await Promise.all([
    spawnService('planner', env), spawnService('dispatcher', env),
    spawnService('gateway', { ...env, MAESTRO_REPLICA_ID: `gw-a-${process.pid}` }), spawnService('gateway', { ...env, MAESTRO_REPLICA_ID: `gw-b-${process.pid}` }),
  ]);
  // Each replica must own its reply group's partitions before the first call, or an early reply is skipped.
  await Promise.all([gatewayA, gatewayB].map((g, i) => eventually(async () => (await fetch(`${g.url}/readyz`)).ok, 60_000, `gateway ${i ? 'B' : 'A'} to be ready`)));
});

afterAll(async () => {
  await Promise.all([gatewayA?.stop('SIGTERM'), gatewayB?.stop('SIGTERM'), planner?.stop('SIGTERM'), dispatcher?.stop('SIGTERM')]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the MAESTRO flow through two gateway replicas over HTTP', () => {
  it('declares a charter through one replica and redeclares it through the other', async () => {
    const declared = await ok('A', 'charter.declare', { tenant: 'acme', budget: { cost: 100, tokens: 1_000_000 }, deadlineMs: 600_000, executors, minTrust: 0.5 });
    expect(declared).toMatchObject({ charterId, tenant: 'acme', revision: 1, redeclared: false });
    const again = await ok('B', 'charter.declare', { budget: { cost: 100, tokens: 1_000_000 }, deadlineMs: 600_000, executors, minTrust: 0.5 });
    expect(again).toMatchObject({ charterId, tenant: 'acme', revision: 2, redeclared: true, declaredAtMs: declared.declaredAtMs });
  });

  it('refines and commits a goal, dispatches and reports every step until the plan completes, and traces the delay to the late step', async () => {
    const steps = [step('fetch', 2_000, { tokens: 100 }), step('summarise', 4_000, { requirements: { capabilities: ['llm'], minTrust: 0.8 } }), step('publish', 1_000)];
    const refined = await ok<{ goalId: string; version: number; status: string; plan: { analysis: { criticalPath: string[] }; assignments: unknown[] } }>('A', 'goal.refine', {
      goalId: 'g-report', expectedVersion: 0, intent: 'weekly report', steps, dependencies: [{ from: 'fetch', to: 'summarise' }, { from: 'summarise', to: 'publish' }],
    });
    expect(refined).toMatchObject({ goalId: 'g-report', version: 1, status: 'refined' });
    expect(refined.plan.analysis.criticalPath).toEqual(['fetch', 'summarise', 'publish']);
    expect(refined.plan.assignments).toHaveLength(3);
    const committed = await ok('B', 'graph.commit', { goalId: 'g-report', expectedVersion: 1 });
    expect(committed).toMatchObject({ charterId, goalId: 'g-report', version: 1, previousVersion: null, alreadyCommitted: false });
    const before = await ok<{ goals: GoalRow[] }>('A', 'query.goals', {});
    expect(before.goals.find((g) => g.goalId === 'g-report')).toMatchObject({ status: 'committed', latestVersion: 1, committedVersion: 1 });

    const { orders, reports } = await work('g-report', { firstByDispatchNext: true, slower: { fetch: 3 } });
    expect(orders.map((o) => o.stepId)).toEqual(['fetch', 'summarise', 'publish']);
    expect(orders[0]!.executorId).toBe('w1');
    expect(reports.map((r) => r.resolution)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(reports.map((r) => r.planStatus)).toEqual(['running', 'running', 'completed']);

    const after = await ok<{ goals: GoalRow[] }>('B', 'query.goals', { status: 'completed' });
    expect(after.goals.map((g) => g.goalId)).toEqual(['g-report']);
    expect(after.goals[0]).toMatchObject({ status: 'completed', latestVersion: 1, committedVersion: 1 });

    const trace = await ok<{ goalId: string; version: number; complete: boolean; delayMs: number; steps: { stepId: string; delayMs: number }[]; executors: unknown[] }>('A', 'credit.trace', { goalId: 'g-report' });
    expect(trace).toMatchObject({ charterId, goalId: 'g-report', version: 1, complete: true });
    expect(trace.steps.map((s) => s.stepId).sort()).toEqual(['fetch', 'publish', 'summarise']);
    // fetch ran three times its estimate; it alone was late.
    const fetchDelay = trace.steps.find((s) => s.stepId === 'fetch')!.delayMs;
    expect(fetchDelay).toBe(2 * orders[0]!.estimateMs);
    expect(trace.delayMs).toBe(fetchDelay);
    expect(trace.executors.length).toBeGreaterThan(0);
  });

  it('dispatches the compensation of a step that fails for good, and the plan still completes', async () => {
    const steps = [step('a', 500), step('b', 500, { compensation: undo('undo b') }), step('c', 500)];
    const refined = await ok<{ version: number }>('B', 'goal.refine', { goalId: 'g-saga', steps, dependencies: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] });
    expect(refined.version).toBe(1);
    expect(await ok('A', 'graph.commit', { goalId: 'g-saga', expectedVersion: 1 })).toMatchObject({ goalId: 'g-saga', version: 1, alreadyCommitted: false });

    const { orders, reports } = await work('g-saga', { fail: new Set(['b']) });
    expect(orders.map((o) => o.stepId)).toEqual(['a', 'b', 'b:compensate', 'c']);
    expect(reports.map((r) => r.resolution)).toEqual(['succeeded', 'compensation_started', 'succeeded', 'succeeded']);
    expect(reports.at(-1)!.planStatus).toBe('completed');

    const goals = await ok<{ goals: GoalRow[] }>('B', 'query.goals', { status: 'completed' });
    expect(goals.goals.map((g) => g.goalId).sort()).toEqual(['g-report', 'g-saga']);
    const trace = await ok<{ complete: boolean; steps: { stepId: string }[] }>('A', 'credit.trace', { goalId: 'g-saga' });
    expect(trace.complete).toBe(true);
    expect(trace.steps.map((s) => s.stepId)).toContain('b:compensate');
  });

  it('re-plans a failed step with its compensation as a new version, and diffs the two versions', async () => {
    const steps = [step('load', 200), step('train', 1_000, { compensation: undo('roll back') })];
    await ok('A', 'goal.refine', { goalId: 'g-replan', steps, dependencies: [{ from: 'load', to: 'train' }] });
    await ok('B', 'graph.commit', { goalId: 'g-replan', expectedVersion: 1 });
    const replanned = await ok<{ version: number; committed: boolean; compensations: unknown[] }>('B', 'graph.replan', {
      goalId: 'g-replan', expectedVersion: 1, reason: 'train failed on w2',
      progress: { completed: [{ stepId: 'load', executorId: 'w1', actualDurationMs: 250, actualCost: 1.3 }], failed: [{ stepId: 'train', attempts: 1, spentCost: 2 }] },
    });
    expect(replanned).toMatchObject({ version: 2, committed: false, compensations: [{ failed: 'train', compensation: 'train:compensate', mode: 'replace' }] });
    const diff = await ok('A', 'graph.diff', { goalId: 'g-replan', fromVersion: 1, toVersion: 2 });
    expect(diff).toMatchObject({ charterId, goalId: 'g-replan', fromVersion: 1, toVersion: 2, addedSteps: ['train:compensate'], removedSteps: ['train'], unchanged: false });
    const goals = await ok<{ goals: GoalRow[] }>('A', 'query.goals', {});
    expect(goals.goals.find((g) => g.goalId === 'g-replan')).toMatchObject({ latestVersion: 2, committedVersion: 1 });
  });

  it('diffs two refined versions step by step and edge by edge', async () => {
    await ok('A', 'goal.refine', { goalId: 'g-diff', steps: [step('x', 100), step('y', 100)], dependencies: [{ from: 'x', to: 'y' }] });
    const second = await ok<{ version: number }>('B', 'goal.refine', { goalId: 'g-diff', expectedVersion: 1, steps: [step('x', 300), step('z', 100)], dependencies: [{ from: 'x', to: 'z' }] });
    expect(second.version).toBe(2);
    const diff = await ok('B', 'graph.diff', { goalId: 'g-diff', fromVersion: 1, toVersion: 2 });
    expect(diff).toMatchObject({
      addedSteps: ['z'], removedSteps: ['y'], changedSteps: [{ stepId: 'x', changes: [{ field: 'durationMs', from: 100, to: 300 }] }],
      addedEdges: [{ from: 'x', to: 'z' }], removedEdges: [{ from: 'x', to: 'y' }], unchanged: false,
    });
  });

  it('answers concurrent calls on both replicas, each with its own reply', async () => {
    const plan: [Via, 'query' | 'diff'][] = [['A', 'query'], ['B', 'query'], ['A', 'diff'], ['B', 'diff'], ['B', 'query'], ['A', 'diff']];
    const calls = plan.map(([via, what]) => (what === 'query'
      ? ok<{ goals: GoalRow[] }>(via, 'query.goals', { status: 'completed' }).then((r) => r.goals.map((g) => g.goalId).sort().join(','))
      : ok<{ addedSteps: string[] }>(via, 'graph.diff', { goalId: 'g-diff', fromVersion: 1, toVersion: 2 }).then((r) => r.addedSteps.join(','))));
    expect(await Promise.all(calls)).toEqual(['g-report,g-saga', 'g-report,g-saga', 'z', 'z', 'g-report,g-saga', 'z']);
  });
});
