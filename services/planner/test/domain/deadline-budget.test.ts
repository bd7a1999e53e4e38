import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costLowerBound } from '../../src/domain/cost-bound';
import { EXACT_MAX_STEPS, provenConflict } from '../../src/domain/deadline-budget';
import { exactWithinBounds } from '../../src/domain/exact-plan';
import type { Charter, Executor, Goal } from '../../src/domain/graph';
import { costOn, durationOn } from '../../src/domain/graph';
import { compileGoal } from '../../src/domain/analysis';
import { computeEligibility } from '../../src/domain/eligibility';
import { refine } from '../../src/domain/refine';
import { buildProblem } from '../../src/domain/scheduling-problem';
import { topologicalOrder } from '../../src/domain/topology';
import { verifySchedule } from '../../src/domain/verify';
import { OPEN_CHARTER, edges, executor, step } from './fixtures';

const bounded = (deadlineMs: number, cost: number): Charter => ({ ...OPEN_CHARTER, deadlineMs, budget: { cost, tokens: Infinity } });
// Fast and dear (speed 2, 1 per ms) beside slow and free: per 100 ms step, 50 ms for 50 or 100 ms for 0.
const TWO_KINDS = [executor('fast', { speed: 2, costPerMs: 1 }), executor('slow')];

/** The scheduling problem refine builds, for the exact reference. */
function problemOf(goal: Goal, executors: readonly Executor[]) {
  const compiled = compileGoal(goal);
  if (!compiled.ok) throw new Error(compiled.refusal.code);
  const eligibility = computeEligibility(goal.steps, executors, OPEN_CHARTER);
  const choices = goal.steps.map((s, i) => eligibility.executorsOf[i]!.map((e) => ({ executor: e, durationMs: durationOn(s, executors[e]!), cost: costOn(s, executors[e]!) })));
  return buildProblem(compiled.plan.graph, executors.length, choices);
}

/** Independent check of a returned plan: precedence, no overlap per executor, both bounds. */
function planProblems(goal: Goal, executors: readonly Executor[], charter: Charter, plan: { assignments: readonly { stepId: string; executorId: string; startMs: number }[]; makespanMs: number; totalCost: number }): string[] {
  const compiled = compileGoal(goal);
  if (!compiled.ok) return ['goal does not compile'];
  const at = new Map(plan.assignments.map((a) => [a.stepId, a]));
  const index = new Map(executors.map((e, i) => [e.id, i]));
  const executorOf = goal.steps.map((s) => index.get(at.get(s.id)!.executorId)!);
  const out = verifySchedule(compiled.plan.graph, goal.steps.map((s, i) => durationOn(s, executors[executorOf[i]!]!)), { executor: executorOf, start: goal.steps.map((s) => at.get(s.id)!.startMs) }, executors.length, 1e-6);
  if (plan.makespanMs > charter.deadlineMs * (1 + 1e-9)) out.push(`makespan ${plan.makespanMs} > ${charter.deadlineMs}`);
  if (plan.totalCost > charter.budget.cost * (1 + 1e-9)) out.push(`cost ${plan.totalCost} > ${charter.budget.cost}`);
  return out;
}

describe('refine under a deadline and a budget together', () => {
  it('finds the mixed plan that a Lagrangian sweep cannot (regression: a feasible request was refused)', () => {
    // All fast: 100 ms for 100, over budget. All slow: 200 ms for 0, late. One of each: 150 ms for 50.
    const chain: Goal = { steps: [step('a', 100), step('b', 100)], dependencies: edges('a->b') };
    const out = refine(chain, TWO_KINDS, bounded(150, 50));
    if (!out.ok) throw new Error(out.refusal.reasons.join('; '));
    expect(out.plan.makespanMs).toBe(150);
    expect(out.plan.totalCost).toBe(50);
    expect(out.plan.provenance.rule).toBe('deadline-budget');
  });

  it('refuses with the bounds that conflict, proven by the cost bound', () => {
    const chain: Goal = { steps: [step('a', 100), step('b', 100)], dependencies: edges('a->b') };
    const out = refine(chain, TWO_KINDS, bounded(149, 50));
    if (out.ok) throw new Error('expected a refusal');
    expect(out.refusal.code).toBe('contradictory_constraints');
    // Within 149 ms only "both fast" (100 ms, cost 100); within a budget of 50 the best is 150 ms.
    // Neither step can go slow by 149 ms, so no plan within it costs under 100: the bound proves
    // it at once, and the search stops with the plans found so far (all slow: 200 ms within budget).
    expect(out.refusal.details).toMatchObject({ cheapestWithinDeadlineCost: 100, shortestWithinBudgetMs: 200, proven: 'lower-bound' });
    const details = out.refusal.details as Record<string, unknown>;
    expect(details.costFloorWithinDeadline).toBeCloseTo(100, 6);
    // Both floors: nothing within 149 ms under 100, nothing within 50 before ~150 ms (bisected).
    const makespanFloor = Number(details.makespanFloorWithinBudgetMs);
    expect(makespanFloor).toBeGreaterThan(149.5);
    expect(makespanFloor).toBeLessThanOrEqual(150);
    expect(out.refusal.reasons[0]).toMatch(/149 ms costs 100, over the budget of 50/);
    expect(out.refusal.reasons[1]).toMatch(/budget of 50 takes 200 ms/);
    expect(out.refusal.reasons[2]).toMatch(/no schedule that meets the deadline can cost less than 100/);
    expect(out.refusal.reasons[3]).toMatch(/no schedule within the budget can finish before 149\.\d+ ms/);
  });

  it('proves before the budget fit with the floor the search\'s own bound reaches, and proves nothing feasible', () => {
    const chain = problemOf({ steps: [step('a', 100), step('b', 100), step('c', 60)], dependencies: edges('a->b', 'b->c') }, TWO_KINDS);
    const kinds = Int32Array.from([0, 1]);
    const full = (deadline: number, budget: number) => costLowerBound(chain, deadline, { order: topologicalOrder(chain)!, group: kinds, target: budget * (1 + 1e-9) });
    // All fast: 130 ms for 130. By 159 ms no step can go slow (the last one slow takes 160): no
    // plan costs under 130, over the budget of 100.
    expect(full(159, 100)).toBeGreaterThan(100);
    expect(provenConflict(chain, 159, 100, kinds)).toBe(full(159, 100));
    // By 160 ms the last step may go slow, for 100: feasible, so no proof.
    expect(provenConflict(chain, 160, 100, kinds)).toBeNull();
  });

  it('proves by exhaustive search what the cost bound cannot (a relaxation may split a step)', () => {
    // Two independent steps of 50 and 40 by 54 ms: the cheapest plan runs the 50 slow and the 40
    // fast, for 20. The relaxation may fill the slow executor's 54 ms with 54 of the 90 units of
    // work and run the other 36 fast, for 18, under the budget of 19: no proof there.
    const pair: Goal = { steps: [step('a', 50), step('b', 40)], dependencies: [] };
    const out = refine(pair, TWO_KINDS, bounded(54, 19));
    if (out.ok) throw new Error('expected a refusal');
    expect(out.refusal.details).toMatchObject({ cheapestWithinDeadlineCost: 20, proven: 'exhaustive', costFloorWithinDeadline: null });
    expect(out.refusal.reasons[2]).toMatch(/exhaustive search/);
  });

  it('mixes executor kinds on a chain too long for the exact search', () => {
    const n = 3 * EXACT_MAX_STEPS;
    const chain: Goal = { steps: Array.from({ length: n }, (_, i) => step(`s${i}`, 100)), dependencies: Array.from({ length: n - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })) };
    // A third of the steps fast: n·100 − n/3·50 ms for n/3·50.
    const charter = bounded(n * 100 - (n / 3) * 50, (n / 3) * 50);
    const out = refine(chain, TWO_KINDS, charter);
    if (!out.ok) throw new Error(out.refusal.reasons.join('; '));
    expect(planProblems(chain, TWO_KINDS, charter, out.plan)).toEqual([]);
  });
});

/** Small random goals on one to three kinds of executor, with bounds around their fastest and cheapest plans. */
const instance = fc.record({
  works: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }),
  fixedCosts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
  edgeBits: fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }),
  kinds: fc.array(fc.record({ count: fc.integer({ min: 1, max: 2 }), speed: fc.constantFrom(1, 2, 4), price: fc.constantFrom(0.1, 0.24, 0.58, 1) }), { minLength: 1, maxLength: 3 }),
  deadlineFactor: fc.double({ min: 0, max: 1.2, noNaN: true }),
  budgetFactor: fc.double({ min: 0, max: 1.2, noNaN: true }),
});

describe('refine against the exact search on small random goals', () => {
  it('never refuses what the exact search finds, never returns a plan outside the bounds, and refusals carry the conflicting bounds', () => {
    fc.assert(fc.property(instance, (x) => {
      const steps = x.works.map((w, i) => step(`s${i}`, w, { cost: x.fixedCosts[i]! }));
      const dependencies: { from: string; to: string }[] = [];
      let bit = 0;
      for (let j = 1; j < steps.length; j++) for (let i = 0; i < j; i++) if (x.edgeBits[bit++]) dependencies.push({ from: `s${i}`, to: `s${j}` });
      const goal: Goal = { steps, dependencies };
      const executors = x.kinds.flatMap((k, ki) => Array.from({ length: k.count }, (_, c) => executor(`k${ki}-${c}`, { speed: k.speed, costPerMs: k.price })));
      const fastest = refine(goal, executors, OPEN_CHARTER);
      if (!fastest.ok) throw new Error(fastest.refusal.code);
      const slowest = steps.reduce((sum, s) => sum + Math.max(...executors.map((e) => durationOn(s, e))), 0);
      const charter = bounded(
        fastest.plan.makespanMs + x.deadlineFactor * (slowest - fastest.plan.makespanMs),
        fastest.plan.minimumCost + x.budgetFactor * (fastest.plan.totalCost - fastest.plan.minimumCost),
      );
      const exact = exactWithinBounds(problemOf(goal, executors), charter.deadlineMs, charter.budget.cost);
      expect(exact.status).not.toBe('unknown');
      const out = refine(goal, executors, charter);
      if (out.ok) {
        expect(planProblems(goal, executors, charter, out.plan)).toEqual([]);
        return;
      }
      expect(exact.status).toBe('infeasible');
      if (out.refusal.code !== 'contradictory_constraints') return;
      const d = out.refusal.details;
      // Proved either way: by the exact search, or by a cost bound within the deadline above the budget.
      expect(['exhaustive', 'lower-bound']).toContain(d.proven);
      if (d.proven === 'lower-bound') {
        expect(Number(d.costFloorWithinDeadline)).toBeGreaterThan(charter.budget.cost);
        // The makespan floor is a proof too: the exact search finds nothing within the budget by then.
        expect(Number(d.makespanFloorWithinBudgetMs)).toBeGreaterThanOrEqual(charter.deadlineMs);
        expect(exactWithinBounds(problemOf(goal, executors), Number(d.makespanFloorWithinBudgetMs), charter.budget.cost).status).toBe('infeasible');
      }
      expect(Number(d.cheapestWithinDeadlineCost)).toBeGreaterThan(charter.budget.cost);
      expect(Number(d.shortestWithinBudgetMs)).toBeGreaterThan(charter.deadlineMs);
    }), { numRuns: 200, seed: 13 });
    // A few seconds on a quiet machine; the margin is for a loaded CI runner.
  }, 60_000);
});
