import { describe, expect, it } from 'vitest';
import type { Goal, Step } from '../../../planner/src/domain';
import type { ExecutionState, OutcomeReport } from '../../src/domain';
import { dispatchNext, findStep, findWorkOrder, reportOutcome, summarize } from '../../src/domain';
import { T0, accepted, ask, charter, edges, orders, started, step } from './fixtures';

const OPEN = charter();
const UNDO = { name: 'undo b', durationMs: 7, cost: 2, requirements: { capabilities: [], minTrust: 0 } };

/** a -> b -> c, with b configured by the test. */
function chain(b: Partial<Step> = {}): Goal {
  return { steps: [step('a', 10), step('b', 20, b), step('c', 30)], dependencies: edges('a->b', 'b->c') };
}

/** Leases the next step to x at `atMs` and returns its work order id. */
function lease(state: ExecutionState, atMs: number): { state: ExecutionState; workOrderId: string; stepId: string } {
  const out = orders(dispatchNext(state, ask(), OPEN, atMs));
  return { state: out.state, workOrderId: out.workOrders[0]!.workOrderId, stepId: out.workOrders[0]!.stepId };
}

const ok = (workOrderId: string, extra: Partial<OutcomeReport> = {}): OutcomeReport => ({ workOrderId, status: 'succeeded', actualDurationMs: 12, actualCost: 3, ...extra });
const fail = (workOrderId: string): OutcomeReport => ({ workOrderId, status: 'failed', actualDurationMs: 5, actualCost: 1, detail: 'boom' });

/** A chain with a done, and b leased at T0 + 10. */
function atB(b: Partial<Step> = {}): { state: ExecutionState; workOrderId: string } {
  const first = lease(started(chain(b)), T0);
  const state = accepted(reportOutcome(first.state, ok(first.workOrderId), T0 + 10)).state;
  const second = lease(state, T0 + 10);
  expect(second.stepId).toBe('b');
  return second;
}

describe('reportOutcome: success', () => {
  it('records actuals and history, and unblocks the dependent', () => {
    const { state, workOrderId } = atB();
    const out = accepted(reportOutcome(state, ok(workOrderId), T0 + 30));
    expect(out.resolution).toBe('succeeded');
    expect(findStep(out.state, 'b')).toMatchObject({ status: 'succeeded', attempts: 1, actualDurationMs: 12, actualCost: 3, completedAtMs: T0 + 30, completedBy: 'x', lease: null });
    expect(findStep(out.state, 'b')?.history).toEqual([{ atMs: T0 + 30, kind: 'succeeded', workOrderId, executorId: 'x', actualDurationMs: 12, actualCost: 3, detail: null }]);
    expect(out.events.map((e) => e.type)).toEqual(['step_succeeded', 'step_ready']);
    expect(findStep(out.state, 'c')?.status).toBe('ready');
  });
});

describe('reportOutcome: refusals and idempotency', () => {
  it('refuses a work order that was never issued', () => {
    const { state } = atB();
    const out = reportOutcome(state, ok('p1.zzz.1'), T0 + 30);
    expect(!out.ok && out.refusal.code).toBe('unknown_work_order');
  });

  it.each([
    { name: 'negative duration', report: { actualDurationMs: -1 } },
    { name: 'NaN cost', report: { actualCost: Number.NaN } },
  ])('refuses an invalid report: $name', ({ report }) => {
    const { state, workOrderId } = atB();
    const out = reportOutcome(state, ok(workOrderId, report), T0 + 30);
    expect(!out.ok && out.refusal.code).toBe('invalid_request');
    expect(findStep(out.state, 'b')?.status).toBe('leased');
  });

  it.each(['succeeded', 'failed'] as const)('a duplicate %s report returns the same resolution and changes nothing', (status) => {
    const { state, workOrderId } = atB({ retry: { maxAttempts: 2, backoffMs: 100 } });
    const report = status === 'succeeded' ? ok(workOrderId) : fail(workOrderId);
    const first = accepted(reportOutcome(state, report, T0 + 30));
    const again = accepted(reportOutcome(first.state, report, T0 + 31));
    expect(again.duplicate).toBe(true);
    expect(again.resolution).toBe(first.resolution);
    expect(again.state).toBe(first.state);
    expect(again.events.map((e) => e.type)).toEqual(['outcome_duplicate']);
    expect(findStep(again.state, 'b')).toMatchObject({ attempts: 1, failures: status === 'failed' ? 1 : 0, actualCost: status === 'failed' ? 1 : 3 });
    expect(summarize(again.state, T0 + 31)).toMatchObject({ attempts: 2, actualCost: status === 'failed' ? 4 : 6 });
  });

  it('refuses a report that contradicts the accepted one', () => {
    const { state, workOrderId } = atB();
    const first = accepted(reportOutcome(state, ok(workOrderId), T0 + 30));
    const out = reportOutcome(first.state, fail(workOrderId), T0 + 31);
    expect(!out.ok && out.refusal.code).toBe('conflicting_outcome');
    expect(findStep(out.state, 'b')?.status).toBe('succeeded');
  });
});

describe('reportOutcome: failure, retry with backoff, exhaustion', () => {
  it('retries after the backoff, then asks for a re-plan when attempts run out', () => {
    let { state, workOrderId } = atB({ retry: { maxAttempts: 2, backoffMs: 100 } });
    const first = accepted(reportOutcome(state, fail(workOrderId), T0 + 30));
    expect(first.resolution).toBe('retry_scheduled');
    expect(first.events.map((e) => e.type)).toEqual(['step_failed', 'step_retry_scheduled']);
    expect(first.events[1]).toMatchObject({ stepId: 'b', attempt: 2, maxAttempts: 2, notBeforeMs: T0 + 130 });
    expect(findStep(first.state, 'b')).toMatchObject({ status: 'pending', failures: 1, attempts: 1, notBeforeMs: T0 + 130 });

    const early = dispatchNext(first.state, ask(), OPEN, T0 + 129);
    expect(!early.ok && early.refusal.code).toBe('no_ready_step');
    expect(!early.ok && early.refusal.details).toMatchObject({ inBackoff: 1, nextReleaseAtMs: T0 + 130 });

    const retry = orders(dispatchNext(early.state, ask('y'), OPEN, T0 + 130));
    expect(retry.workOrders[0]).toMatchObject({ stepId: 'b', attempt: 2, workOrderId: 'p1.b.2', executorId: 'y' });
    ({ state, workOrderId } = { state: retry.state, workOrderId: retry.workOrders[0]!.workOrderId });

    const last = accepted(reportOutcome(state, fail(workOrderId), T0 + 140));
    expect(last.resolution).toBe('replan_required');
    expect(last.state.status).toBe('awaiting_replan');
    const instruction = last.events.find((e) => e.type === 'replan_required');
    expect(instruction).toMatchObject({
      failedStepIds: ['b'],
      now: 140,
      progress: { completed: [{ stepId: 'a', executorId: 'x', actualDurationMs: 12, actualCost: 3 }], failed: [{ stepId: 'b', attempts: 2, spentCost: 2 }], running: [] },
    });
    expect(instruction && 'reason' in instruction && instruction.reason).toMatch(/attempt 2 of 2 and it declares no compensation/);
    const halted = dispatchNext(last.state, ask(), OPEN, T0 + 141);
    expect(!halted.ok && halted.refusal.code).toBe('replan_pending');
  });

  it('without a retry policy, the first failure is final', () => {
    const { state, workOrderId } = atB();
    expect(accepted(reportOutcome(state, fail(workOrderId), T0 + 30)).resolution).toBe('replan_required');
  });

  it('a replace compensation takes the exhausted step\'s place and releases its dependents', () => {
    const { state, workOrderId } = atB({ compensation: { ...UNDO, mode: 'replace' } });
    const failed = accepted(reportOutcome(state, fail(workOrderId), T0 + 30));
    expect(failed.resolution).toBe('compensation_started');
    expect(failed.events.map((e) => e.type)).toEqual(['step_failed', 'compensation_started', 'step_ready']);
    expect(findStep(failed.state, 'b')?.status).toBe('compensating');
    expect(failed.state.goal.dependencies).toEqual(edges('a->b:compensate', 'b:compensate->c'));

    const comp = orders(dispatchNext(failed.state, ask(), OPEN, T0 + 30));
    expect(comp.workOrders[0]).toMatchObject({ stepId: 'b:compensate', compensates: { stepId: 'b', mode: 'replace' } });
    const done = accepted(reportOutcome(comp.state, ok(comp.workOrders[0]!.workOrderId), T0 + 40));
    expect(done.events.map((e) => e.type)).toEqual(['step_succeeded', 'compensation_completed', 'step_ready']);
    expect(findStep(done.state, 'b')?.status).toBe('compensated');
    expect(findStep(done.state, 'c')?.status).toBe('ready');
  });

  it('a before-retry compensation runs before each retry', () => {
    const { state, workOrderId } = atB({ compensation: { ...UNDO, id: 'rollback', mode: 'before-retry' }, retry: { maxAttempts: 3, backoffMs: 5 } });
    const failed = accepted(reportOutcome(state, fail(workOrderId), T0 + 30));
    expect(failed.resolution).toBe('retry_scheduled');
    expect(findStep(failed.state, 'b')).toMatchObject({ status: 'compensating', notBeforeMs: T0 + 35 });
    expect(failed.state.goal.dependencies).toEqual(expect.arrayContaining(edges('rollback->b')));
    const rollback = orders(dispatchNext(failed.state, ask(), OPEN, T0 + 30));
    expect(rollback.workOrders.map((w) => w.stepId)).toEqual(['rollback']);
    const undone = accepted(reportOutcome(rollback.state, ok(rollback.workOrders[0]!.workOrderId), T0 + 32));
    expect(findStep(undone.state, 'b')?.status).toBe('pending'); // backoff until T0 + 35
    const retry = orders(dispatchNext(undone.state, ask(), OPEN, T0 + 35));
    expect(retry.workOrders[0]).toMatchObject({ stepId: 'b', attempt: 2 });
    // Second failure: the rollback is armed again.
    const again = accepted(reportOutcome(retry.state, fail(retry.workOrders[0]!.workOrderId), T0 + 50));
    expect(findStep(again.state, 'rollback')?.status).toBe('ready');
    expect(again.state.goal.steps.filter((s) => s.id === 'rollback')).toHaveLength(1);
  });

  it('a failed compensation is final', () => {
    const { state, workOrderId } = atB({ compensation: { ...UNDO, mode: 'replace' } });
    const failed = accepted(reportOutcome(state, fail(workOrderId), T0 + 30));
    const comp = orders(dispatchNext(failed.state, ask(), OPEN, T0 + 30));
    const out = accepted(reportOutcome(comp.state, fail(comp.workOrders[0]!.workOrderId), T0 + 40));
    expect(out.resolution).toBe('replan_required');
    expect(findWorkOrder(out.state, comp.workOrders[0]!.workOrderId)?.resolution).toBe('replan_required');
  });
});
