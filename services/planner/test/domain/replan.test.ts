import { describe, expect, it } from 'vitest';
import type { Charter, Goal, Step } from '../../src/domain/graph';
import { refine } from '../../src/domain/refine';
import type { Plan } from '../../src/domain/refine';
import { replan } from '../../src/domain/replan';
import { edges, executor, step } from './fixtures';

const UNDO = { name: 'undo b', durationMs: 7, cost: 1, requirements: { capabilities: [], minTrust: 0 } };
const EXECUTORS = [executor('x'), executor('y')];
const CHARTER: Charter = { deadlineMs: 1000, budget: { cost: 100, tokens: Infinity }, minTrust: 0 };

function goalWith(b: Partial<Step>): Goal {
  return { steps: [step('a', 10, { cost: 5 }), step('b', 20, { cost: 5, ...b }), step('c', 30, { cost: 5 })], dependencies: edges('a->b', 'b->c') };
}

function planOf(goal: Goal): Plan {
  const out = refine(goal, EXECUTORS, CHARTER);
  if (!out.ok) throw new Error(out.refusal.reasons.join());
  return out.plan;
}

const startOf = (plan: Plan, id: string): number => plan.assignments.find((a) => a.stepId === id)!.startMs;

describe('replan', () => {
  it('keeps completed steps and plans the remainder from now with what is left', () => {
    const goal = goalWith({});
    const out = replan(goal, EXECUTORS, CHARTER, planOf(goal), { completed: [{ stepId: 'a', executorId: 'x', actualDurationMs: 15, actualCost: 12 }], failed: [] }, 15);
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    expect(out.plan.remainder.steps.map((s) => s.id)).toEqual(['b', 'c']);
    expect(out.plan.spentCost).toBe(12);
    expect(out.plan.remainingCharter.budget.cost).toBe(88);
    expect(out.plan.remainingCharter.deadlineMs).toBe(985);
    expect(startOf(out.plan.plan, 'b')).toBe(15);
    expect(out.plan.plan.makespanMs).toBe(65);
  });

  it('puts a replace compensation in the failed step\'s place, before its dependents', () => {
    const goal = goalWith({ compensation: { ...UNDO, mode: 'replace' } });
    const progress = { completed: [{ stepId: 'a', executorId: 'x', actualDurationMs: 10, actualCost: 5 }], failed: [{ stepId: 'b', attempts: 1, spentCost: 3 }] };
    const out = replan(goal, EXECUTORS, CHARTER, planOf(goal), progress, 25);
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    const r = out.plan;
    expect(r.remainder.steps.map((s) => s.id)).toEqual(['b:compensate', 'c']);
    expect(r.remainder.dependencies).toEqual(edges('b:compensate->c'));
    expect(r.compensations).toEqual([{ failed: 'b', compensation: 'b:compensate', mode: 'replace' }]);
    expect(startOf(r.plan, 'b:compensate')).toBe(25);
    expect(startOf(r.plan, 'c')).toBe(32);
    expect(r.spentCost).toBe(8);
  });

  it('runs a before-retry compensation, then retries the failed step after its backoff', () => {
    const goal = goalWith({ compensation: { ...UNDO, id: 'rollback', mode: 'before-retry' }, retry: { maxAttempts: 2, backoffMs: 50 } });
    const progress = { completed: [{ stepId: 'a', executorId: 'x', actualDurationMs: 10, actualCost: 5 }], failed: [{ stepId: 'b', attempts: 1, spentCost: 0 }] };
    const out = replan(goal, EXECUTORS, CHARTER, planOf(goal), progress, 20);
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    const r = out.plan;
    expect(r.retried).toEqual(['b']);
    expect(r.remainder.dependencies).toEqual(expect.arrayContaining(edges('rollback->b', 'b->c')));
    expect(startOf(r.plan, 'rollback')).toBe(20);
    expect(startOf(r.plan, 'b')).toBe(70); // now + backoff, later than the rollback's end at 27
    expect(startOf(r.plan, 'c')).toBe(90);
  });

  it.each([
    { name: 'no compensation, no retry left', b: {} },
    { name: 'before-retry compensation but no retry left', b: { compensation: { ...UNDO, mode: 'before-retry' as const }, retry: { maxAttempts: 1, backoffMs: 0 } } },
  ])('refuses an unrecoverable failure: $name', ({ b }) => {
    const goal = goalWith(b);
    const out = replan(goal, EXECUTORS, CHARTER, planOf(goal), { completed: [], failed: [{ stepId: 'a', attempts: 1, spentCost: 0 }, { stepId: 'b', attempts: 1, spentCost: 0 }] }, 20);
    expect(out.ok ? null : out.refusal.code).toBe('unrecoverable_failure');
  });

  it('waits for a running step and keeps its executor busy', () => {
    const goal: Goal = { steps: [step('a', 10), step('b', 40), step('c', 5), step('d', 5)], dependencies: edges('a->b', 'b->c') };
    const plan = planOf(goal);
    const onB = plan.assignments.find((a) => a.stepId === 'b')!.executorId;
    const progress = { completed: [{ stepId: 'a', executorId: 'x', actualDurationMs: 10, actualCost: 0 }], failed: [], running: [{ stepId: 'b', executorId: onB, startedAtMs: 10 }] };
    const out = replan(goal, EXECUTORS, CHARTER, plan, progress, 20);
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    const r = out.plan.plan;
    expect(startOf(r, 'c')).toBe(50);
    const d = r.assignments.find((a) => a.stepId === 'd')!;
    expect(d.executorId === onB ? d.startMs >= 50 : d.startMs === 20).toBe(true);
  });

  it('refuses with the spending context when the remainder no longer fits the budget', () => {
    const goal = goalWith({});
    const out = replan(goal, EXECUTORS, CHARTER, planOf(goal), { completed: [{ stepId: 'a', executorId: 'x', actualDurationMs: 10, actualCost: 95 }], failed: [] }, 10);
    if (out.ok) throw new Error('expected a refusal');
    expect(out.refusal.code).toBe('budget_exhausted');
    expect(out.refusal.details).toMatchObject({ resource: 'cost', minimum: 10, budget: 5 });
    expect(out.refusal.reasons.at(-1)).toContain('spent 95');
  });
});
