/**
 * `goal.refine`: from a goal, the executors and a charter, either a scheduled plan or a refusal
 * that says why with the numbers. Checks run cheapest first, and lower bounds (critical path on the
 * fastest eligible executors, cheapest eligible cost) refuse before any scheduling is attempted.
 */
import type { Analysis } from './analysis';
import { compileGoal, describePath, timeGoal } from './analysis';
import { fitBudget, lagrangianFit } from './budget';
import type { BoundsSearch } from './deadline-budget';
import { PROVEN_SWEEP_BISECTIONS, provenConflict, searchWithinBounds } from './deadline-budget';
import { computeEligibility, missingPremiseRefusal } from './eligibility';
import type { Charter, Executor, Goal, StepId } from './graph';
import { costOn, durationOn } from './graph';
import type { Outcome, Refusal } from './refusal';
import { accept, fmt, refuse } from './refusal';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { buildProblemFrom } from './scheduling-problem';
import { searchSchedule } from './search';
import type { IndexedGraph } from './topology';
import { charterConflicts, invalidNumbers } from './validation';

/** Where and when one step runs. */
export interface Assignment {
  readonly stepId: StepId;
  readonly executorId: string;
  readonly startMs: number;
  readonly finishMs: number;
  readonly cost: number;
}

/** A refined, scheduled plan. */
export interface Plan {
  /** Timing with every step on its fastest eligible executor: the lower bound any schedule meets. */
  readonly analysis: Analysis;
  /** Every step, ordered by start time. */
  readonly assignments: readonly Assignment[];
  readonly makespanMs: number;
  readonly totalCost: number;
  readonly totalTokens: number;
  /** The cheapest possible total cost under the charter (every step on its cheapest executor). */
  readonly minimumCost: number;
  /** Which rule and scheme produced the schedule, and whether the budget forced cheaper executors. */
  readonly provenance: { readonly rule: string; readonly mode: string; readonly budgetRepaired: boolean };
}

/** Extra inputs for re-planning a remainder. */
export interface RefineOptions {
  /** Earliest start per step (a retry backoff, a running predecessor). */
  readonly releaseMs?: ReadonlyMap<StepId, number>;
  /** When each busy executor becomes free. */
  readonly executorFreeMs?: ReadonlyMap<string, number>;
}

/** Refines a goal into a plan under a charter, or refuses with reasons. Pure and deterministic. */
export function refine(goal: Goal, executors: readonly Executor[], charter: Charter, options: RefineOptions = {}): Outcome<Plan> {
  const invalid = invalidNumbers(goal, executors);
  if (invalid) return refuse(invalid);
  const compiled = compileGoal(goal);
  if (!compiled.ok) return compiled;
  const conflict = charterConflicts(charter, executors);
  if (conflict) return refuse(conflict);
  const eligibility = computeEligibility(goal.steps, executors, charter);
  if (eligibility.missing.length > 0) {
    const allowedCount = executors.filter((e) => !charter.allowedExecutors || charter.allowedExecutors.includes(e.id)).length;
    return refuse(missingPremiseRefusal(eligibility.missing, allowedCount));
  }

  const release = Float64Array.from(goal.steps, (s) => options.releaseMs?.get(s.id) ?? 0);
  const executorFree = Float64Array.from(executors, (e) => options.executorFreeMs?.get(e.id) ?? 0);
  const problem = eligibleProblem(goal, executors, eligibility.executorsOf, compiled.plan.graph, release, executorFree);
  const fastest = new Float64Array(problem.taskCount);
  let minimumCost = 0;
  for (let u = 0; u < problem.taskCount; u++) {
    let shortest = Infinity;
    let cheapest = Infinity;
    for (let o = problem.optionOffsets[u]!; o < problem.optionOffsets[u + 1]!; o++) {
      shortest = Math.min(shortest, problem.optionDuration[o]!);
      cheapest = Math.min(cheapest, problem.optionCost[o]!);
    }
    fastest[u] = shortest;
    minimumCost += cheapest;
  }
  const { analysis } = timeGoal(goal.steps, compiled.plan, fastest, release);
  const totalTokens = goal.steps.reduce((sum, s) => sum + (s.tokens ?? 0), 0);

  if (totalTokens > charter.budget.tokens) {
    return refuse({ code: 'budget_exhausted', reasons: [`the steps need ${fmt(totalTokens)} tokens, the budget allows ${fmt(charter.budget.tokens)}`], details: { resource: 'tokens', minimum: totalTokens, budget: charter.budget.tokens } });
  }
  if (minimumCost > charter.budget.cost * (1 + 1e-12)) {
    return refuse({ code: 'budget_exhausted', reasons: [`the cheapest eligible executor for every step costs ${fmt(minimumCost)} in total, over the budget of ${fmt(charter.budget.cost)}`], details: { resource: 'cost', minimum: minimumCost, budget: charter.budget.cost } });
  }
  const deadlineRefusal = (bestMakespanMs: number | null, why: string): Outcome<Plan> => refuse({
    code: 'deadline_infeasible',
    reasons: [why],
    details: { criticalPathMs: analysis.criticalPathMs, bestMakespanMs, deadlineMs: charter.deadlineMs, criticalPath: analysis.criticalPath },
  });
  if (analysis.criticalPathMs > charter.deadlineMs) {
    return deadlineRefusal(null, `the critical path ${describePath(analysis.criticalPath, analysis.criticalPathMs)} on the fastest eligible executors exceeds the deadline of ${fmt(charter.deadlineMs)} ms`);
  }

  const fastestSearch = searchSchedule(problem);
  let schedule: RawSchedule = fastestSearch.schedule;
  let provenance = { rule: fastestSearch.rule, mode: fastestSearch.mode as string };
  const budgetRepaired = schedule.cost > charter.budget.cost;
  const sweep: { schedule: RawSchedule; how: string }[] = [{ schedule, how: 'fastest' }];
  const kinds = executorKinds(executors);
  // In time but over budget: a cost bound may prove that nothing meets both before the budget fit
  // is paid for (the fit was a third of such a refusal's time at 1,000 steps); a shorter sweep
  // then gives the refusal's numbers.
  const provenCostFloor = budgetRepaired && schedule.makespan <= charter.deadlineMs
    ? provenConflict(problem, charter.deadlineMs, charter.budget.cost, kinds) ?? undefined
    : undefined;
  if (budgetRepaired) {
    const onSchedule = (s: RawSchedule): void => { sweep.push({ schedule: s, how: 'lagrangian' }); };
    // minimumCost <= budget was checked, so the repair always finds an assignment.
    const fitted = provenCostFloor === undefined
      ? fitBudget(problem, schedule, charter.budget.cost, onSchedule)
      : lagrangianFit(problem, schedule, charter.budget.cost, onSchedule, PROVEN_SWEEP_BISECTIONS);
    schedule = fitted ?? schedule;
    sweep.push({ schedule, how: 'budget-fit' });
  }
  if (schedule.makespan > charter.deadlineMs) {
    const found = searchWithinBounds(problem, charter.deadlineMs, charter.budget.cost, { seeds: sweep, executorKind: kinds, provenCostFloor });
    if (found.within) {
      schedule = found.within;
      provenance = { rule: 'deadline-budget', mode: found.how ?? 'search' };
    } else {
      const fastestMs = fastestSearch.schedule.makespan;
      if (found.cheapestWithinDeadline === null) {
        return deadlineRefusal(fastestMs, `the best schedule found takes ${fmt(fastestMs)} ms, past the deadline of ${fmt(charter.deadlineMs)} ms (critical path lower bound ${fmt(analysis.criticalPathMs)} ms with ${executors.length} executor(s))`);
      }
      return refuse(boundsConflict(charter, fastestSearch.schedule, found, found.cheapestWithinDeadline));
    }
  }
  const assignments = goal.steps.map((s, i) => ({
    stepId: s.id,
    executorId: executors[schedule.executor[i]!]!.id,
    startMs: schedule.start[i]!,
    finishMs: schedule.finish[i]!,
    cost: problem.optionCost[schedule.option[i]!]!,
  })).sort((a, b) => a.startMs - b.startMs || a.finishMs - b.finishMs);
  return accept({
    analysis, assignments, makespanMs: schedule.makespan, totalCost: schedule.cost, totalTokens, minimumCost,
    provenance: { ...provenance, budgetRepaired },
  });
}

/**
 * The refusal when no schedule was found within both bounds: the two bounds that conflict, as far
 * as the search shows (the cheapest cost within the deadline, the shortest makespan within the
 * budget), and whether an exhaustive search proved it.
 */
function boundsConflict(charter: Charter, fastest: RawSchedule, found: BoundsSearch, inTime: RawSchedule): Refusal {
  // minimumCost <= budget was checked, so the cheapest plan is always within budget.
  const inBudget = found.shortestWithinBudget!;
  const reasons = [
    `the cheapest schedule found that meets the deadline of ${fmt(charter.deadlineMs)} ms costs ${fmt(inTime.cost)}, over the budget of ${fmt(charter.budget.cost)}`,
    `the shortest schedule found within the budget of ${fmt(charter.budget.cost)} takes ${fmt(inBudget.makespan)} ms, past the deadline of ${fmt(charter.deadlineMs)} ms`,
  ];
  if (found.proof === 'exhaustive') reasons.push('an exhaustive search over every executor choice and order proves that no schedule meets both');
  if (found.proof === 'lower-bound') {
    reasons.push(`no schedule that meets the deadline can cost less than ${fmt(found.costFloorWithinDeadline!)} (a lower bound over every executor choice), so none meets both`);
    reasons.push(`no schedule within the budget can finish before ${fmt(found.makespanFloorWithinBudget!)} ms (a lower bound likewise)`);
  }
  return {
    code: 'contradictory_constraints',
    reasons,
    details: {
      deadlineMs: charter.deadlineMs, budgetCost: charter.budget.cost,
      cheapestWithinDeadlineCost: inTime.cost, cheapestWithinDeadlineMs: inTime.makespan,
      shortestWithinBudgetMs: inBudget.makespan, shortestWithinBudgetCost: inBudget.cost,
      proven: found.proof, costFloorWithinDeadline: found.costFloorWithinDeadline, makespanFloorWithinBudgetMs: found.makespanFloorWithinBudget,
      fastestMakespanMs: fastest.makespan, fastestCost: fastest.cost,
      withinBudgetMakespanMs: inBudget.makespan, withinBudgetCost: inBudget.cost,
    },
  };
}

/** The scheduling problem of a goal on its eligible executors. */
function eligibleProblem(goal: Goal, executors: readonly Executor[], executorsOf: readonly (readonly number[])[], graph: IndexedGraph, releaseMs: Float64Array, executorFreeMs: Float64Array): SchedulingProblem {
  return buildProblemFrom(graph, executors.length, executorsOf.map((list) => list.length), (u, k, slot) => {
    const step = goal.steps[u]!;
    const executor = executors[executorsOf[u]![k]!]!;
    slot.executor = executorsOf[u]![k]!;
    slot.durationMs = durationOn(step, executor);
    slot.cost = costOn(step, executor);
  }, releaseMs, executorFreeMs);
}

/** Executors of equal speed and price share a kind; kinds are numbered cheapest per unit of work first. */
function executorKinds(executors: readonly Executor[]): Int32Array {
  const keys = [...new Set(executors.map((e) => `${e.speed}|${e.costPerMs}`))];
  const perWork = (key: string): number => {
    const [speed, price] = key.split('|').map(Number);
    return price! / speed!;
  };
  keys.sort((a, b) => perWork(a) - perWork(b) || a.localeCompare(b));
  const index = new Map(keys.map((k, i) => [k, i]));
  return Int32Array.from(executors, (e) => index.get(`${e.speed}|${e.costPerMs}`)!);
}
