import { describe, expect, it } from 'vitest';
import type { Goal } from '../../../planner/src/domain';
import type { DispatchRequest, ExecutionState } from '../../src/domain';
import { dispatchNext, findStep, reportOutcome } from '../../src/domain';
import { DIAMOND, T0, accepted, ask, charter, edges, orders, started, step } from './fixtures';

const OPEN = charter();

/** Runs one step to success at `atMs`. */
function complete(state: ExecutionState, stepId: string, atMs: number): ExecutionState {
  const lease = findStep(state, stepId)?.lease;
  if (!lease) throw new Error(`${stepId} is not leased`);
  return accepted(reportOutcome(state, { workOrderId: lease.workOrderId, status: 'succeeded', actualDurationMs: 1, actualCost: 1 }, atMs)).state;
}

describe('dispatchNext: priority', () => {
  it.each<{ name: string; goal: Goal; expected: string[] }>([
    { name: 'the longest remaining path first', goal: DIAMOND, expected: ['a', 'e'] },
    {
      name: 'bottom level beats declaration order',
      goal: { steps: [step('short', 5), step('long', 40), step('mid', 20)], dependencies: [] },
      expected: ['long', 'mid', 'short'],
    },
    {
      name: 'a short step that heads a long chain beats a long lone step',
      goal: { steps: [step('lone', 50), step('head', 5), step('tail', 60)], dependencies: edges('head->tail') },
      expected: ['head', 'lone'],
    },
    {
      name: 'equal bottom levels: by step id, deterministically',
      goal: { steps: [step('q', 10), step('p', 10), step('r', 10)], dependencies: [] },
      expected: ['p', 'q', 'r'],
    },
  ])('$name', ({ goal, expected }) => {
    const result = orders(dispatchNext(started(goal), ask('x', { maxOrders: 3 }), OPEN, T0));
    expect(result.workOrders.map((w) => w.stepId)).toEqual(expected);
  });

  it('re-ranks on the remaining graph: after a, b (60) before c (30) before e (5)', () => {
    let state = orders(dispatchNext(started(DIAMOND), ask(), OPEN, T0)).state;
    state = complete(state, 'a', T0 + 10);
    const { workOrders } = orders(dispatchNext(state, ask('x', { maxOrders: 3 }), OPEN, T0 + 10));
    expect(workOrders.map((w) => [w.stepId, w.priority.bottomLevelMs])).toEqual([['b', 60], ['c', 30], ['e', 5]]);
  });
});

describe('dispatchNext: dependency gating', () => {
  it('hands out d only when both b and c have succeeded', () => {
    let state = orders(dispatchNext(started(DIAMOND), ask(), OPEN, T0)).state; // a
    state = complete(state, 'a', T0 + 10);
    state = orders(dispatchNext(state, ask('x', { maxOrders: 2 }), OPEN, T0 + 10)).state; // b, c
    state = complete(state, 'b', T0 + 60);
    expect(findStep(state, 'd')?.status).toBe('pending');
    const waiting = dispatchNext(state, ask('y', { maxOrders: 2 }), OPEN, T0 + 60);
    expect(waiting.ok).toBe(true);
    expect(waiting.ok && waiting.workOrders.map((w) => w.stepId)).toEqual(['e']);
    const none = dispatchNext(waiting.state, ask('y'), OPEN, T0 + 61);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.refusal.code).toBe('no_ready_step');
    expect(!none.ok && none.refusal.details).toMatchObject({ leased: 2, blockedOnDependencies: 1 });
    state = complete(none.state, 'c', T0 + 70);
    expect(findStep(state, 'd')?.status).toBe('ready');
    expect(orders(dispatchNext(state, ask('y'), OPEN, T0 + 70)).workOrders.map((w) => w.stepId)).toEqual(['d']);
  });
});

describe('dispatchNext: executor eligibility', () => {
  const goal: Goal = {
    steps: [step('gpu', 100, { requirements: { capabilities: ['gpu'], minTrust: 0 } }), step('secret', 50, { requirements: { capabilities: [], minTrust: 0.9 } }), step('plain', 10)],
    dependencies: [],
  };
  const pool = { executors: [{ id: 'x', speed: 1, costPerMs: 0, trust: 1, capabilities: ['gpu'] }] };

  it.each<{ name: string; request: DispatchRequest; allowed?: string[]; minTrust?: number; code?: string; expected?: string[]; reason?: RegExp }>([
    { name: 'a capable trusted executor gets the most urgent step', request: ask('x', { executorCapabilities: ['gpu'] }), expected: ['gpu'] },
    { name: 'without the capability, the next step it can run', request: ask('x'), expected: ['secret'] },
    { name: 'without capability or trust, only the plain step', request: ask('x', { executorTrust: 0.5 }), expected: ['plain'] },
    { name: 'a charter trust floor applies to every step', request: ask('x', { executorTrust: 0.5, executorCapabilities: ['gpu'] }), minTrust: 0.6, code: 'executor_ineligible', reason: /trust 0.5 < 0.6/ },
    { name: 'an executor the charter does not allow', request: ask('z', { executorCapabilities: ['gpu'] }), allowed: ['x'], code: 'executor_not_allowed', reason: /does not allow executor 'z'/ },
  ])('$name', ({ request, allowed, minTrust, code, expected, reason }) => {
    const c = charter(Infinity, { ...(allowed ? { allowedExecutors: allowed } : {}), minTrust: minTrust ?? 0 });
    const result = dispatchNext(started(goal, charter(), pool), request, c, T0);
    if (expected) {
      expect(orders(result).workOrders.map((w) => w.stepId)).toEqual(expected);
    } else {
      expect(result.ok).toBe(false);
      expect(!result.ok && result.refusal.code).toBe(code);
      expect(!result.ok && result.refusal.reasons.join('\n')).toMatch(reason!);
      expect(result.events.map((e) => e.type)).toEqual(['request_refused']);
      expect(result.state.steps.every((s) => s.status === 'ready')).toBe(true);
    }
  });

  it('names what the executor lacks for each ready step', () => {
    const result = dispatchNext(started({ steps: [goal.steps[0]!], dependencies: [] }, charter(), pool), ask('x', { executorTrust: 0.5 }), OPEN, T0);
    expect(!result.ok && result.refusal.details).toEqual({ executorId: 'x', rejections: [{ stepId: 'gpu', lacks: ['capabilities [gpu]'] }] });
  });
});

describe('dispatchNext: work orders', () => {
  it('leases with the configured lease and a step deadline from the charter deadline minus the work after it', () => {
    const state = started(DIAMOND, charter(500), { config: { leaseMs: 30, leaseEstimateFactor: 2 } });
    const { workOrders, events } = orders(dispatchNext(state, ask('x', { maxOrders: 2 }), charter(500), T0 + 5));
    // a: estimate 10 -> lease max(30, 20) = 30; 60 ms of work follow it (b then d) -> 500 - 60.
    expect(workOrders[0]).toMatchObject({ stepId: 'a', workOrderId: 'p1.a.1', attempt: 1, leasedAtMs: T0 + 5, leaseExpiresAtMs: T0 + 35, stepDeadlineAtMs: T0 + 440 });
    // e: estimate 5, nothing after it.
    expect(workOrders[1]).toMatchObject({ stepId: 'e', leaseExpiresAtMs: T0 + 35, stepDeadlineAtMs: T0 + 500 });
    expect(events.filter((e) => e.type === 'step_leased')).toHaveLength(2);
  });

  it('sizes the lease to the estimate when that is longer', () => {
    const state = started({ steps: [step('long', 100_000)], dependencies: [] }, charter(), { config: { leaseMs: 1000, leaseEstimateFactor: 1.5 } });
    expect(orders(dispatchNext(state, ask(), OPEN, T0)).workOrders[0]?.leaseExpiresAtMs).toBe(T0 + 150_000);
  });

  it.each([0, 17, 1.5])('refuses maxOrders %s', (maxOrders) => {
    const result = dispatchNext(started(DIAMOND), ask('x', { maxOrders }), OPEN, T0);
    expect(!result.ok && result.refusal.code).toBe('invalid_request');
  });

  it('leaves the caller\'s state untouched', () => {
    const state = started(DIAMOND);
    const before = JSON.stringify(state);
    dispatchNext(state, ask(), OPEN, T0);
    expect(JSON.stringify(state)).toBe(before);
  });
});
