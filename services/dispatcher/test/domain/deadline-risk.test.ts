import { describe, expect, it } from 'vitest';
import type { ExecutionState } from '../../src/domain';
import { assessDeadlineRisk, dispatchNext, expireLeases, reportOutcome } from '../../src/domain';
import { T0, accepted, ask, charter, edges, orders, started, step } from './fixtures';

// a (100) -> b (100) against a deadline of 250: 50 ms of slack at the start.
const GOAL = { steps: [step('a', 100), step('b', 100)], dependencies: edges('a->b') };
const DEADLINE = charter(250);
const CONFIG = { leaseMs: 10_000 };

function withALeased(): ExecutionState {
  return orders(dispatchNext(started(GOAL, DEADLINE, { config: CONFIG }), ask(), DEADLINE, T0)).state;
}

describe('deadline risk', () => {
  it.each([
    { name: 'a running, within its estimate', leased: true, at: 100, overrunMs: null },
    { name: 'a overrunning, the last moment that still fits', leased: true, at: 150, overrunMs: null },
    { name: 'a overrunning one ms too long', leased: true, at: 151, overrunMs: 1 },
    { name: 'nobody took a yet, last moment', leased: false, at: 50, overrunMs: null },
    { name: 'nobody took a, one ms too late', leased: false, at: 51, overrunMs: 1 },
  ])('$name (+$at ms)', ({ leased, at, overrunMs }) => {
    const state = leased ? withALeased() : started(GOAL, DEADLINE, { config: CONFIG });
    const out = expireLeases(state, T0 + at);
    expect(out.deadlineRisk?.overrunMs ?? null).toBe(overrunMs);
    expect(out.events.some((e) => e.type === 'deadline_risk')).toBe(overrunMs !== null);
  });

  it('carries the numbers and the critical remaining steps', () => {
    const out = expireLeases(withALeased(), T0 + 170);
    expect(out.deadlineRisk).toMatchObject({
      projectedFinishAtMs: T0 + 270,
      deadlineAtMs: T0 + 250,
      overrunMs: 20,
      criticalRemaining: [
        { stepId: 'a', status: 'leased', remainingMs: 0, projectedStartAtMs: T0 + 170, projectedFinishAtMs: T0 + 170 },
        { stepId: 'b', status: 'pending', remainingMs: 100, projectedStartAtMs: T0 + 170, projectedFinishAtMs: T0 + 270 },
      ],
    });
    expect(out.deadlineRisk?.reasons[0]).toMatch(/20 ms after the deadline/);
  });

  it('is published once per episode, while every result still carries the signal', () => {
    const first = expireLeases(withALeased(), T0 + 160);
    const second = expireLeases(first.state, T0 + 170);
    expect(first.events.map((e) => e.type)).toEqual(['deadline_risk']);
    expect(second.events).toEqual([]);
    expect(second.deadlineRisk?.overrunMs).toBe(20);
    expect(second.state.deadlineAtRisk).toBe(true);
  });

  it('uses actuals for finished steps: an early a leaves room, a late one does not', () => {
    const early = orders(dispatchNext(started(GOAL, DEADLINE, { config: CONFIG }), ask(), DEADLINE, T0));
    const wo = early.workOrders[0]!.workOrderId;
    expect(accepted(reportOutcome(early.state, { workOrderId: wo, status: 'succeeded', actualDurationMs: 60, actualCost: 0 }, T0 + 60)).deadlineRisk).toBeNull();
    const late = accepted(reportOutcome(early.state, { workOrderId: wo, status: 'succeeded', actualDurationMs: 160, actualCost: 0 }, T0 + 160));
    expect(late.deadlineRisk).toMatchObject({ projectedFinishAtMs: T0 + 260, overrunMs: 10, criticalRemaining: [{ stepId: 'b', status: 'ready' }] });
  });

  it('no deadline, no risk', () => {
    const open = orders(dispatchNext(started(GOAL, charter(), { config: CONFIG }), ask(), charter(), T0)).state;
    expect(open.deadlineAtMs).toBeNull();
    expect(assessDeadlineRisk(open, T0 + 1_000_000)).toBeNull();
    expect(expireLeases(open, T0 + 1_000_000).deadlineRisk).toBeNull();
  });
});
