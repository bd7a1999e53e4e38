/**
 * The supported maxima (docs/protocol.md), end to end through the gateway with the real planner,
 * dispatcher, Kafka and Redis: one charter of 256 executors and ten goals of 1,000 independent
 * steps, allocate for all 256 executors at once answered within the gateway's default call timeout
 * (it took 4.9 s when every executor re-ranked the plan), each goal's execution on the compacted
 * topic, and the refusals one step past each maximum.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { createTestBus, type TestBus } from '../support/test-bus';
import { callSigned, newCaller, writeTrustStore, type Called } from '../support/signed-client';

const prefix = uniquePrefix('maxima');
const dir = mkdtempSync(join(tmpdir(), 'maestro-maxima-'));
const agent = newCaller('agent-acme', 'acme');
const charterId = 'ch-max';
let services: SpawnedService[] = [];
let gateway: SpawnedService;
let bus: TestBus;

const call = (operation: string, payload: Record<string, unknown>): Promise<Called> => callSigned(gateway.url, agent, operation, { charterId, ...payload });

async function ok<T = Record<string, unknown>>(operation: string, payload: Record<string, unknown>): Promise<T> {
  const r = await call(operation, payload);
  expect(r.status, `${operation}: ${JSON.stringify(r.body).slice(0, 500)}`).toBe(200);
  return r.body.result as T;
}

const executors = Array.from({ length: 256 }, (_, i) => ({ id: `w${i}`, speed: 1 + (i % 3), costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }));
const steps = (goal: string, count: number) => Array.from({ length: count }, (_, i) => ({
  id: `${goal}-s${i}`, name: `step ${i} of ${goal}`, durationMs: 500 + ((i * 7919) % 1500), cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 },
}));
const goalIds = Array.from({ length: 10 }, (_, i) => `g${i}`);

beforeAll(async () => {
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  // The gateway's default call timeout (10 s): the maxima must be served well inside it.
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json') };
  services = await Promise.all([spawnService('planner', env), spawnService('dispatcher', env), spawnService('gateway', env)]);
  gateway = services[2]!;
  await eventually(async () => (await fetch(`${gateway.url}/readyz`)).ok, 60_000, 'the gateway to be ready');
  bus = await createTestBus(prefix, [topics.executions]);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a charter at the supported maxima', () => {
  it('holds 256 executors and ten goals of 1,000 steps, and refuses an eleventh goal (422 limit_exceeded)', async () => {
    await ok('charter.declare', { budget: { cost: 1e9, tokens: 1e9 }, deadlineMs: 31_536_000_000, executors, minTrust: 0.5 });
    for (const goalId of goalIds) {
      const planned = await ok<{ version: number; status: string }>('plan', { goalId, steps: steps(goalId, 1_000), dependencies: [] });
      expect(planned).toMatchObject({ version: 1, status: 'committed' });
    }
    const eleventh = await call('plan', { goalId: 'g10', steps: steps('g10', 1), dependencies: [] });
    expect(eleventh.status).toBe(422);
    expect(eleventh.body.refused).toMatchObject({ code: 'limit_exceeded', details: { steps: 10_001, maxSteps: 10_000 } });
  });

  it('allocates to all 256 executors in one call, within the call timeout, no step twice', async () => {
    const { workOrders } = await ok<{ workOrders: { stepId: string; executorId: string; goalId: string }[] }>('allocate', {
      executorIds: executors.map((e) => e.id), maxOrdersPerExecutor: 1,
    });
    expect(workOrders).toHaveLength(256);
    expect(new Set(workOrders.map((o) => o.stepId)).size).toBe(256);
    expect(new Set(workOrders.map((o) => o.executorId)).size).toBe(256);
    // Every goal can be dispatched from, and reported on.
    for (const goalId of goalIds) {
      const { workOrders: next } = await ok<{ workOrders: { workOrderId: string; estimateMs: number }[] }>('dispatch.next', { goalId, executorId: 'w0', maxOrders: 4 });
      expect(next.length).toBeGreaterThan(0);
      await ok('outcome.report', { workOrderId: next[0]!.workOrderId, status: 'completed', actualDurationMs: next[0]!.estimateMs, actualCost: 1 });
    }
    const { goals } = await ok<{ goals: { status: string }[] }>('query.goals', { limit: 20 });
    expect(goals.map((g) => g.status)).toEqual(Array(10).fill('running'));
  });

  it('keeps every goal execution on the compacted topic, each record well under the broker limit', async () => {
    const latest = await eventually(async () => {
      const records = (await bus.readValues(topics.executions)).filter((r) => r.charterId === charterId);
      const byGoal = new Map(records.filter((r) => r.goalId !== null).map((r) => [r.goalId, r]));
      return goalIds.every((g) => (JSON.parse(byGoal.get(g)?.stateJson ?? '{"state":{"workOrders":[]}}') as { state: { workOrders: unknown[] } }).state.workOrders.length > 0) ? byGoal : undefined;
    }, 60_000, 'a record of every goal with its work orders');
    for (const record of latest.values()) expect(bus.codecs.encode(topics.executions, record).length).toBeLessThan(1_048_588);
  });

  it('refuses one past each schema maximum with 400: 1,001 steps, 257 executors', async () => {
    const long = await call('goal.refine', { goalId: 'g-long', steps: steps('g-long', 1_001), dependencies: [] });
    expect(long.status).toBe(400);
    expect(long.body.refused?.code).toBe('schema_violation');
    const wide = await call('charter.declare', { budget: { cost: 1, tokens: 1 }, deadlineMs: 1_000, executors: [...executors, { ...executors[0]!, id: 'w256' }], minTrust: 0.5 });
    expect(wide.status).toBe(400);
    expect(wide.body.refused?.code).toBe('schema_violation');
  });
});
