import { describe, expect, it } from 'vitest';
import type { Charter, Executor, Goal } from '../../src/domain/graph';
import { refine } from '../../src/domain/refine';
import { OPEN_CHARTER, edges, executor, step } from './fixtures';

const CHAIN: Goal = { steps: [step('a', 100), step('b', 100)], dependencies: edges('a->b') };

function refusalOf(goal: Goal, executors: Executor[], charter: Charter) {
  const out = refine(goal, executors, charter);
  if (out.ok) throw new Error('expected a refusal');
  return out.refusal;
}

describe('refine refusals', () => {
  it('refuses a budget below the cheapest possible cost, with both numbers', () => {
    const r = refusalOf({ steps: [step('a', 100, { cost: 5 })], dependencies: [] }, [executor('slow', { costPerMs: 0.1 })], { ...OPEN_CHARTER, budget: { cost: 10, tokens: Infinity } });
    // 5 fixed + 100 ms × 0.1 = 15 > 10.
    expect(r.code).toBe('budget_exhausted');
    expect(r.details).toEqual({ resource: 'cost', minimum: 15, budget: 10 });
    expect(r.reasons[0]).toMatch(/15.*10/);
  });

  it('refuses a token budget the steps exceed', () => {
    const r = refusalOf({ steps: [step('a', 1, { tokens: 700 }), step('b', 1, { tokens: 400 })], dependencies: [] }, [executor('e')], { ...OPEN_CHARTER, budget: { cost: Infinity, tokens: 1000 } });
    expect(r.details).toEqual({ resource: 'tokens', minimum: 1100, budget: 1000 });
  });

  it('refuses a deadline shorter than the critical path on the fastest executor, naming the path', () => {
    const r = refusalOf(CHAIN, [executor('e', { speed: 2 })], { ...OPEN_CHARTER, deadlineMs: 90 });
    expect(r.code).toBe('deadline_infeasible');
    if (r.code !== 'deadline_infeasible') return;
    expect(r.details.criticalPathMs).toBe(100);
    expect(r.details.criticalPath).toEqual(['a', 'b']);
    expect(r.reasons[0]).toContain('a -> b (100 ms)');
    expect(r.reasons[0]).toContain('90 ms');
  });

  it('refuses a deadline the critical path meets but no schedule on too few executors can', () => {
    const wide: Goal = { steps: [step('a', 100), step('b', 100)], dependencies: [] };
    const r = refusalOf(wide, [executor('e')], { ...OPEN_CHARTER, deadlineMs: 150 });
    expect(r.code).toBe('deadline_infeasible');
    expect(r.code === 'deadline_infeasible' && r.details.bestMakespanMs).toBe(200);
  });

  it('says the constraints contradict when the fast schedule is over budget and the cheap one late', () => {
    const executors = [executor('fast', { speed: 2, costPerMs: 1 }), executor('cheap', { speed: 1, costPerMs: 0 })];
    const r = refusalOf({ steps: [step('a', 100)], dependencies: [] }, executors, { ...OPEN_CHARTER, deadlineMs: 60, budget: { cost: 10, tokens: Infinity } });
    expect(r.code).toBe('contradictory_constraints');
    expect(r.details).toMatchObject({ fastestMakespanMs: 50, fastestCost: 50, withinBudgetMakespanMs: 100, withinBudgetCost: 0 });
  });

  it.each([
    { name: 'capability', req: { capabilities: ['gpu'], minTrust: 0 }, ex: executor('cpu', { capabilities: ['cpu'] }), lacks: 'capabilities [gpu]' },
    { name: 'step trust', req: { capabilities: [], minTrust: 0.9 }, ex: executor('shaky', { trust: 0.5 }), lacks: 'trust 0.5 < 0.9' },
  ])('names the missing premise: $name', ({ req, ex, lacks }) => {
    const r = refusalOf({ steps: [step('train', 1, { requirements: req })], dependencies: [] }, [ex], OPEN_CHARTER);
    expect(r.code).toBe('missing_premise');
    if (r.code !== 'missing_premise') return;
    expect(r.details.steps[0]!.stepId).toBe('train');
    expect(r.details.steps[0]!.rejections[0]!.lacks).toBe(lacks);
    expect(r.reasons[0]).toContain("step 'train'");
  });

  it('applies the charter trust floor and allowed executors', () => {
    const executors = [executor('trusted', { trust: 0.95 }), executor('cheap', { trust: 0.6 })];
    const floor = refusalOf(CHAIN, executors, { ...OPEN_CHARTER, minTrust: 0.99 });
    expect(floor.code).toBe('missing_premise');
    const none = refusalOf(CHAIN, executors, { ...OPEN_CHARTER, allowedExecutors: ['ghost'] });
    expect(none.code).toBe('contradictory_constraints');
  });

  it.each([
    { name: 'negative duration', goal: { steps: [step('a', -1)], dependencies: [] }, code: 'invalid_input' },
    { name: 'cycle', goal: { steps: [step('a', 1), step('b', 1)], dependencies: edges('a->b', 'b->a') }, code: 'cycle' },
    { name: 'unknown dependency', goal: { steps: [step('a', 1)], dependencies: edges('x->a') }, code: 'unknown_dependency' },
  ])('refuses structurally bad goals: $name', ({ goal, code }) => {
    expect(refusalOf(goal, [executor('e')], OPEN_CHARTER).code).toBe(code);
  });
});

describe('refine plans', () => {
  it('runs each step only on an eligible executor', () => {
    const goal: Goal = {
      steps: [step('gpu-job', 10, { requirements: { capabilities: ['gpu'], minTrust: 0 } }), step('secret', 10, { requirements: { capabilities: [], minTrust: 0.9 } })],
      dependencies: [],
    };
    const executors = [executor('fast-untrusted', { speed: 10, trust: 0.5 }), executor('gpu', { capabilities: ['gpu'], trust: 0.5 }), executor('vault', { trust: 0.95 })];
    const out = refine(goal, executors, OPEN_CHARTER);
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    const on = Object.fromEntries(out.plan.assignments.map((a) => [a.stepId, a.executorId]));
    expect(on).toEqual({ 'gpu-job': 'gpu', secret: 'vault' });
  });

  it('beats naive round-robin on heterogeneous executors', () => {
    // Five parallel 100 ms steps; one executor is 4× faster. Round-robin puts three on the fast
    // one and two on the slow one: 200 ms. Four on the fast one and one on the slow one: 100 ms.
    const goal: Goal = { steps: ['a', 'b', 'c', 'd', 'e'].map((id) => step(id, 100)), dependencies: [] };
    const out = refine(goal, [executor('fast', { speed: 4 }), executor('slow')], OPEN_CHARTER);
    if (!out.ok) throw new Error('refused');
    const roundRobin = Math.max(3 * 25, 2 * 100);
    expect(out.plan.makespanMs).toBe(100);
    expect(out.plan.makespanMs).toBeLessThan(roundRobin);
  });

  it('meets a binding budget by moving work to cheaper executors', () => {
    const goal: Goal = { steps: ['a', 'b', 'c', 'd'].map((id) => step(id, 100)), dependencies: [] };
    const executors = [executor('fast', { speed: 2, costPerMs: 1 }), executor('cheap', { speed: 1, costPerMs: 0 })];
    const open = refine(goal, executors, OPEN_CHARTER);
    const tight = refine(goal, executors, { ...OPEN_CHARTER, budget: { cost: 100, tokens: Infinity } });
    if (!open.ok || !tight.ok) throw new Error('refused');
    expect(open.plan.totalCost).toBeGreaterThan(100);
    expect(tight.plan.totalCost).toBeLessThanOrEqual(100);
    expect(tight.plan.provenance.budgetRepaired).toBe(true);
    // At most two steps (50 ms at 1 per ms each) fit the budget on the fast one; the other two run
    // back to back on the cheap one: 200 ms, the optimum under this budget.
    expect(tight.plan.makespanMs).toBe(200);
    expect(open.plan.makespanMs).toBeLessThan(200);
  });

  it('is deterministic', () => {
    const goal: Goal = { steps: ['a', 'b', 'c'].map((id) => step(id, 10)), dependencies: edges('a->c') };
    const executors = [executor('x'), executor('y')];
    expect(refine(goal, executors, OPEN_CHARTER)).toEqual(refine(goal, executors, OPEN_CHARTER));
  });
});
