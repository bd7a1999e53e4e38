import { describe, expect, it } from 'vitest';
import type { Goal } from '../../../planner/src/domain';
import { dispatchMany, dispatchNext, type ExecutionState } from '../../src/domain';
import { DIAMOND, T0, ask, charter, orders, started, step } from './fixtures';

const OPEN = charter();
const independent = (count: number): Goal => ({ steps: Array.from({ length: count }, (_, i) => step(`s${String(i).padStart(2, '0')}`, 10 + (i % 7) * 5)), dependencies: [] });

/** The steps each executor gets when they ask one after another with dispatchNext. */
function oneByOne(state: ExecutionState, executorIds: readonly string[], maxOrders: number): { leased: string[][]; state: ExecutionState } {
  const leased: string[][] = [];
  for (const executorId of executorIds) {
    const r = dispatchNext(state, ask(executorId, { maxOrders }), OPEN, T0);
    state = r.state;
    leased.push(r.ok ? r.workOrders.map((o) => o.stepId) : []);
  }
  return { leased, state };
}

describe('dispatchMany', () => {
  it.each([
    ['more ready steps than executors', independent(20), ['x', 'y', 'z'], 2],
    ['fewer ready steps than executors', independent(3), ['x', 'y', 'z', 'w'], 1],
    ['a graph with one root', DIAMOND, ['x', 'y'], 3],
  ])('leases what executors asking one by one would get: %s', (_name, goal, executorIds, maxOrders) => {
    const state = started(goal);
    const expected = oneByOne(state, executorIds, maxOrders);
    const r = dispatchMany(state, executorIds.map((id) => ask(id, { maxOrders })), OPEN, T0);
    if (!r.ok) throw new Error(r.refusal.code);
    expect(r.results.map((x) => (x.ok ? x.workOrders.map((o) => o.stepId) : []))).toEqual(expected.leased);
    expect(r.state.steps.map((s) => [s.stepId, s.status, s.lease?.executorId ?? null])).toEqual(expected.state.steps.map((s) => [s.stepId, s.status, s.lease?.executorId ?? null]));
    // No step goes to two executors.
    const all = r.results.flatMap((x) => (x.ok ? x.workOrders.map((o) => o.stepId) : []));
    expect(new Set(all).size).toBe(all.length);
  });

  it('answers each executor in the order asked, refusals in their place', () => {
    const state = started(independent(1));
    const r = dispatchMany(state, [ask('x', { maxOrders: 0 }), ask('y'), ask('z')], charter(Infinity, { allowedExecutors: ['y', 'z'] }), T0);
    if (!r.ok) throw new Error(r.refusal.code);
    expect(r.results.map((x) => [x.executorId, x.ok ? 'ok' : x.refusal.code])).toEqual([['x', 'invalid_request'], ['y', 'ok'], ['z', 'no_ready_step']]);
    expect(r.events.filter((e) => e.type === 'request_refused')).toHaveLength(2);
  });

  it('refuses the whole request for a completed plan', () => {
    const done = { ...started(independent(1)), status: 'completed' as const, completedAtMs: T0 };
    expect(dispatchMany(done, [ask('x'), ask('y')], OPEN, T0)).toMatchObject({ ok: false, refusal: { code: 'plan_complete' } });
  });

  it('is what dispatchNext does for one executor', () => {
    const state = started(DIAMOND);
    expect(orders(dispatchNext(state, ask('x', { maxOrders: 2 }), OPEN, T0)).workOrders.map((o) => o.stepId)).toEqual(['a', 'e']);
  });
});
