/**
 * One graph over a grid of deadlines × budgets: refine (the function `goal.refine` calls) in every
 * cell, beside two reference planners — a portfolio (the fastest plan on each of the fixed pools,
 * kept when it fits both bounds) and, on small graphs, an exact search that proves infeasibility.
 */
import { buildProblem, compileGoal, computeEligibility, costOn, durationOn, refine, searchSchedule, verifySchedule } from '../../services/planner/src/domain';
import type { Charter, Executor, Goal, Plan, SchedulingProblem } from '../../services/planner/src/domain';
import { exactWithinBounds } from '../../services/planner/src/domain/exact-plan';
import { portfolioPools } from './pools';

/** What the grid needs to know about one cell. */
export interface CellResult {
  readonly deadlineFactor: number;
  readonly budgetFactor: number;
  readonly deadlineMs: number;
  readonly budget: number;
  readonly refined: boolean;
  /** The refusal code when refine refused. */
  readonly refusal: string | null;
  /** Whether the refusal's details carry both conflicting bounds as numbers (or a proof). */
  readonly refusalHasBounds: boolean;
  /** How the refusal proved itself ('lower-bound', 'exhaustive'), or null. */
  readonly refusalProof: string | null;
  readonly refineMs: number;
  /** A returned plan outside either bound, or an invalid schedule (must never happen). */
  readonly violation: string | null;
  readonly portfolioFits: boolean;
  /** The exact search's verdict, or null when the graph is too large for it. */
  readonly exact: 'feasible' | 'infeasible' | 'unknown' | null;
  /** The scheme that produced refine's plan (its provenance mode). */
  readonly mode: string | null;
}

/** One graph's grid. */
export interface GraphResult {
  readonly name: string;
  readonly steps: number;
  readonly fastest: { makespanMs: number; cost: number };
  readonly cheapest: { makespanMs: number; cost: number };
  /** Time of an unbounded refine of the same graph: the baseline for the cells' refine times. */
  readonly unboundedRefineMs: number;
  readonly cells: readonly CellResult[];
}

/** Grid settings. */
export interface GridOptions {
  /** Cells per side; factors run evenly from 0.1 to 0.9. @default 5 */
  readonly size: number;
  /** Graphs with at most this many steps also get the exact search. */
  readonly exactMaxSteps: number;
  /** Node limit of the exact search per cell. */
  readonly exactMaxNodes: number;
}

const OPEN = { deadlineMs: Infinity, budget: { cost: Infinity, tokens: Infinity }, minTrust: 0 } as const;

/** Factors 0.1 … 0.9 in `size` even steps (0.5 alone for size 1). */
export function gridFactors(size: number): number[] {
  return size === 1 ? [0.5] : Array.from({ length: size }, (_, k) => 0.1 + (0.8 * k) / (size - 1));
}

/** The scheduling problem refine builds for this goal (same eligibility, durations and costs). */
export function problemOf(goal: Goal, executors: readonly Executor[], charter: Charter = OPEN): SchedulingProblem {
  const compiled = compileGoal(goal);
  if (!compiled.ok) throw new Error(`${compiled.refusal.code}: ${compiled.refusal.reasons.join('; ')}`);
  const eligibility = computeEligibility(goal.steps, executors, charter);
  if (eligibility.missing.length > 0) throw new Error(`step '${eligibility.missing[0]!.stepId}' has no eligible executor`);
  const choices = goal.steps.map((step, i) => eligibility.executorsOf[i]!.map((e) => ({
    executor: e, durationMs: durationOn(step, executors[e]!), cost: costOn(step, executors[e]!),
  })));
  return buildProblem(compiled.plan.graph, executors.length, choices);
}

/** Every step on its cheapest eligible executor(s), timed by the planner's search. */
export function cheapestPlan(p: SchedulingProblem): { makespanMs: number; cost: number } {
  const options = Array.from({ length: p.taskCount }, (_, u) => {
    const all = [];
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) all.push({ executor: p.optionExecutor[o]!, durationMs: p.optionDuration[o]!, cost: p.optionCost[o]! });
    const min = Math.min(...all.map((o) => o.cost));
    return all.filter((o) => o.cost <= min * (1 + 1e-12));
  });
  const s = searchSchedule(buildProblem(p, p.executorCount, options)).schedule;
  return { makespanMs: s.makespan, cost: s.cost };
}

function unwrap(outcome: ReturnType<typeof refine>, what: string): Plan {
  if (!outcome.ok) throw new Error(`${what} refused: ${outcome.refusal.code}: ${outcome.refusal.reasons.join('; ')}`);
  return outcome.plan;
}

/** Checks a plan against the bounds and re-verifies its schedule independently. */
function violationOf(plan: Plan, goal: Goal, executors: readonly Executor[], deadlineMs: number, budget: number): string | null {
  if (plan.makespanMs > deadlineMs * (1 + 1e-9)) return `makespan ${plan.makespanMs} > deadline ${deadlineMs}`;
  if (plan.totalCost > budget * (1 + 1e-9)) return `cost ${plan.totalCost} > budget ${budget}`;
  const compiled = compileGoal(goal);
  if (!compiled.ok) return 'goal does not compile';
  const byStep = new Map(plan.assignments.map((a) => [a.stepId, a]));
  const executorIndex = new Map(executors.map((e, i) => [e.id, i]));
  const placements = { executor: goal.steps.map((s) => executorIndex.get(byStep.get(s.id)!.executorId)!), start: goal.steps.map((s) => byStep.get(s.id)!.startMs) };
  const durations = goal.steps.map((s) => durationOn(s, executors[executorIndex.get(byStep.get(s.id)!.executorId)!]!));
  const violations = verifySchedule(compiled.plan.graph, durations, placements, executors.length, 1e-6);
  return violations[0] ?? null;
}

/** Whether a refusal's details name the bound each side can reach (or an exhaustive proof). */
function carriesBounds(details: unknown): boolean {
  const d = details as Record<string, unknown>;
  const num = (k: string): boolean => typeof d[k] === 'number' && Number.isFinite(d[k]);
  return (num('cheapestWithinDeadlineCost') || d.cheapestWithinDeadlineCost === null) && num('shortestWithinBudgetMs');
}

/** The refusal's `proven` detail, when it has one. */
function proofOf(details: unknown): string | null {
  const proven = (details as Record<string, unknown>).proven;
  return typeof proven === 'string' ? proven : null;
}

/** Runs the grid on one goal. */
export function runGrid(name: string, goal: Goal, executors: readonly Executor[], options: GridOptions): GraphResult {
  const t0 = performance.now();
  const fastestPlan = unwrap(refine(goal, executors, OPEN), `${name}: unbounded refine`);
  const unboundedRefineMs = performance.now() - t0;
  const problem = problemOf(goal, executors);
  const cheapest = cheapestPlan(problem);
  const fastest = { makespanMs: fastestPlan.makespanMs, cost: fastestPlan.totalCost };
  const pools = portfolioPools(executors).flatMap((ids) => {
    const out = refine(goal, executors, { ...OPEN, allowedExecutors: ids });
    return out.ok ? [{ makespanMs: out.plan.makespanMs, cost: out.plan.totalCost }] : [];
  });
  const exactApplies = goal.steps.length <= options.exactMaxSteps;
  const cells: CellResult[] = [];
  for (const f of gridFactors(options.size)) {
    for (const g of gridFactors(options.size)) {
      const deadlineMs = fastest.makespanMs + f * (cheapest.makespanMs - fastest.makespanMs);
      const budget = cheapest.cost + g * (fastest.cost - cheapest.cost);
      const charter: Charter = { deadlineMs, budget: { cost: budget, tokens: Infinity }, minTrust: 0 };
      const start = performance.now();
      const outcome = refine(goal, executors, charter);
      const refineMs = performance.now() - start;
      const exact = exactApplies ? exactWithinBounds(problem, deadlineMs, budget, { maxNodes: options.exactMaxNodes }).status : null;
      cells.push({
        deadlineFactor: f, budgetFactor: g, deadlineMs, budget, refineMs,
        refined: outcome.ok,
        refusal: outcome.ok ? null : outcome.refusal.code,
        refusalHasBounds: !outcome.ok && carriesBounds(outcome.refusal.details),
        refusalProof: outcome.ok ? null : proofOf(outcome.refusal.details),
        violation: outcome.ok ? violationOf(outcome.plan, goal, executors, deadlineMs, budget) : null,
        portfolioFits: pools.some((p) => p.makespanMs <= deadlineMs && p.cost <= budget),
        exact,
        mode: outcome.ok ? outcome.plan.provenance.mode : null,
      });
    }
  }
  return { name, steps: goal.steps.length, fastest, cheapest, unboundedRefineMs, cells };
}
