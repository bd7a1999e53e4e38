import { describe, expect, it } from 'vitest';
import { replan } from '../../../planner/src/domain';
import type { Executor } from '../../../planner/src/domain';
import type { ExecutionState } from '../../src/domain';
import { applyReplan, cancelExecution, dispatchNext, findStep, replanArguments, reportOutcome } from '../../src/domain';
import { T0, accepted, ask, charter, edges, executor, orders, started, step } from './fixtures';

const GOAL = { steps: [step('a', 100), step('b', 100)], dependencies: edges('a->b') };
const DEADLINE = charter(250);
const SLOW: Executor[] = [executor('x')];

/** a leased at T0 and reported at `atMs`. */
function afterA(status: 'succeeded' | 'failed', atMs: number): ExecutionState {
  const out = orders(dispatchNext(started(GOAL, DEADLINE, { executors: SLOW, config: { leaseMs: 10_000 } }), ask(), DEADLINE, T0));
  return accepted(reportOutcome(out.state, { workOrderId: out.workOrders[0]!.workOrderId, status, actualDurationMs: atMs - T0, actualCost: 1 }, atMs)).state;
}

describe('re-planning through the planner', () => {
  it('a deadline risk cleared by a re-plan onto a faster executor, then run to completion', () => {
    const late = afterA('succeeded', T0 + 160);
    expect(late.deadlineAtRisk).toBe(true);
    const args = replanArguments(late, T0 + 160);
    expect(args.now).toBe(160);
    expect(args.progress.completed).toEqual([{ stepId: 'a', executorId: 'x', actualDurationMs: 160, actualCost: 1 }]);
    const planned = replan(args.goal, [...SLOW, executor('fast', { speed: 4 })], DEADLINE, args.previous, args.progress, args.now);
    if (!planned.ok) throw new Error(planned.refusal.reasons.join('; '));

    const applied = applyReplan(late, planned.plan, T0 + 160);
    if (!applied.ok) throw new Error(applied.refusal.reasons.join('; '));
    expect(applied.events.map((e) => e.type)).toEqual(['replan_applied', 'step_ready', 'deadline_risk_cleared']);
    expect(findStep(applied.state, 'b')).toMatchObject({ status: 'ready', estimateMs: 25, planned: { executorId: 'fast', startMs: 160, finishMs: 185 } });
    expect(findStep(applied.state, 'a')?.status).toBe('succeeded');

    const b = orders(dispatchNext(applied.state, ask('fast'), DEADLINE, T0 + 160));
    const done = accepted(reportOutcome(b.state, { workOrderId: b.workOrders[0]!.workOrderId, status: 'succeeded', actualDurationMs: 25, actualCost: 1 }, T0 + 185));
    expect(done.state.status).toBe('completed');
    expect(done.events.map((e) => e.type)).toEqual(['step_succeeded', 'plan_completed']);
  });

  it('an exhausted step with nothing declared: the planner refuses, the adapter cancels', () => {
    const failed = afterA('failed', T0 + 50);
    expect(failed.status).toBe('awaiting_replan');
    const args = replanArguments(failed, T0 + 50);
    const planned = replan(args.goal, SLOW, DEADLINE, args.previous, args.progress, args.now);
    expect(!planned.ok && planned.refusal.code).toBe('unrecoverable_failure');

    const cancelled = cancelExecution(failed, 'the planner refused the re-plan: unrecoverable_failure', T0 + 51);
    if (!cancelled.ok) throw new Error(cancelled.refusal.code);
    expect(cancelled.state.status).toBe('cancelled');
    expect(findStep(cancelled.state, 'b')?.status).toBe('cancelled');
    expect(findStep(cancelled.state, 'a')?.status).toBe('failed');
    const refused = dispatchNext(cancelled.state, ask(), DEADLINE, T0 + 52);
    expect(!refused.ok && refused.refusal.code).toBe('plan_cancelled');
  });

  it('cancelling returns the leases in flight and refuses their late reports', () => {
    const out = orders(dispatchNext(started(GOAL, DEADLINE), ask(), DEADLINE, T0));
    const cancelled = cancelExecution(out.state, 'withdrawn', T0 + 5);
    expect(cancelled.ok && cancelled.cancelledWorkOrders).toEqual(['p1.a.1']);
    const late = reportOutcome(cancelled.state, { workOrderId: 'p1.a.1', status: 'succeeded', actualDurationMs: 5, actualCost: 0 }, T0 + 6);
    expect(!late.ok && late.refusal.code).toBe('plan_cancelled');
    const twice = cancelExecution(cancelled.state, 'again', T0 + 7);
    expect(!twice.ok && twice.refusal.code).toBe('plan_cancelled');
  });
});
