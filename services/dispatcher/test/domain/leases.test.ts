import { describe, expect, it } from 'vitest';
import type { ExecutionState } from '../../src/domain';
import { dispatchNext, expireLeases, findStep, reportOutcome } from '../../src/domain';
import { T0, accepted, ask, charter, orders, started, step } from './fixtures';

const OPEN = charter();
const GOAL = { steps: [step('a', 10)], dependencies: [] };
const CONFIG = { leaseMs: 100, leaseEstimateFactor: 1 };

function leased(): { state: ExecutionState; workOrderId: string } {
  const out = orders(dispatchNext(started(GOAL, OPEN, { config: CONFIG }), ask('x'), OPEN, T0));
  return { state: out.state, workOrderId: out.workOrders[0]!.workOrderId };
}

describe('expireLeases', () => {
  it.each([
    { at: T0 + 99, expired: [] as string[], status: 'leased' },
    { at: T0 + 100, expired: ['p1.a.1'], status: 'ready' },
  ])('at +$at', ({ at, expired, status }) => {
    const out = expireLeases(leased().state, at);
    expect(out.expiredWorkOrderIds).toEqual(expired);
    expect(findStep(out.state, 'a')?.status).toBe(status);
  });

  it('returns the step to ready without counting an attempt, and records it', () => {
    const out = expireLeases(leased().state, T0 + 100);
    expect(out.events.map((e) => e.type)).toEqual(['lease_expired']);
    expect(out.events[0]).toMatchObject({ stepId: 'a', workOrderId: 'p1.a.1', executorId: 'x', leasedAtMs: T0, leaseExpiresAtMs: T0 + 100 });
    expect(findStep(out.state, 'a')).toMatchObject({ attempts: 0, failures: 0, lease: null });
    expect(findStep(out.state, 'a')?.history.map((h) => h.kind)).toEqual(['lease_expired']);
    const again = orders(dispatchNext(out.state, ask('y'), OPEN, T0 + 100));
    expect(again.workOrders[0]).toMatchObject({ workOrderId: 'p1.a.2', executorId: 'y', attempt: 1 });
  });

  it('dispatch expires due leases itself, so the step is handed out again at once', () => {
    const out = orders(dispatchNext(leased().state, ask('y'), OPEN, T0 + 150));
    expect(out.events.map((e) => e.type)).toEqual(['lease_expired', 'step_leased']);
    expect(out.workOrders[0]?.workOrderId).toBe('p1.a.2');
  });
});

describe('reports on expired leases', () => {
  it('refuses the old work order once the step was re-issued', () => {
    const reissued = orders(dispatchNext(leased().state, ask('y'), OPEN, T0 + 150)).state;
    const out = reportOutcome(reissued, { workOrderId: 'p1.a.1', status: 'succeeded', actualDurationMs: 10, actualCost: 1 }, T0 + 160);
    expect(!out.ok && out.refusal.code).toBe('stale_work_order');
    expect(!out.ok && out.refusal.reasons[0]).toMatch(/re-issued as 'p1.a.2' to 'y'/);
    expect(findStep(out.state, 'a')).toMatchObject({ status: 'leased', attempts: 0 });
    // The current holder still reports normally.
    const current = accepted(reportOutcome(out.state, { workOrderId: 'p1.a.2', status: 'succeeded', actualDurationMs: 10, actualCost: 1 }, T0 + 170));
    expect(current.resolution).toBe('succeeded');
  });

  it('accepts a late success when nobody else has the step', () => {
    const expired = expireLeases(leased().state, T0 + 100).state;
    const out = accepted(reportOutcome(expired, { workOrderId: 'p1.a.1', status: 'succeeded', actualDurationMs: 110, actualCost: 1 }, T0 + 110));
    expect(out.resolution).toBe('late_success_accepted');
    expect(out.events.find((e) => e.type === 'step_succeeded')).toMatchObject({ late: true });
    expect(out.state.status).toBe('completed');
  });

  it('refuses a late failure: the expiry already returned the step without counting it', () => {
    const expired = expireLeases(leased().state, T0 + 100).state;
    const out = reportOutcome(expired, { workOrderId: 'p1.a.1', status: 'failed', actualDurationMs: 110, actualCost: 1 }, T0 + 110);
    expect(!out.ok && out.refusal.code).toBe('stale_work_order');
    expect(findStep(out.state, 'a')).toMatchObject({ status: 'ready', failures: 0 });
  });
});
