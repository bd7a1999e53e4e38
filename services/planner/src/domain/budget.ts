/**
 * Fitting a schedule to a cost budget by Lagrangian relaxation: list-schedule choosing each task's
 * executor by finish + λ·cost, and bisect λ to the smallest value that meets the budget. λ is the
 * price of cost in milliseconds, so each choice trades time lost against cost saved, and because
 * the finish includes queueing on each executor it does not pile every step onto the one cheap
 * executor. (A greedy exchange — move the steps with least time lost per cost saved, judged by
 * schedule slack — was measured against it on random DAGs and gave 1.3–4× longer makespans at the
 * same budget, precisely because slack does not see that congestion.) The best assignment found is
 * then kept and its timing searched once more.
 *
 * Goals of LARGE_GOAL_TASKS steps or more get less of both, measured on the planning grid's shapes
 * and random DAGs at 500 and 1,000 steps (twelve executors of three kinds, budgets 0.1 … 0.9 of
 * the way from the cheapest to the fastest plan): 12 bisections instead of 16 (in 120 fits, 16 found
 * a shorter schedule within budget twice, by at most 0.33 %) and no re-timing (it shortened 1 of 60
 * fits, by 0.04 %); together they were a third of a bounded refine's time at 1,000 steps.
 */
import { isBetter } from './improvement';
import { listSchedule } from './list-scheduler';
import { bottomLevelSuccessors } from './priorities';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { LARGE_GOAL_TASKS, searchSchedule } from './search';

/** Bisection steps on λ: beyond ~2^-16 of the bracket, schedules stop changing in practice. */
const BISECTIONS = 16;
/** On goals of LARGE_GOAL_TASKS steps or more. */
const LARGE_GOAL_BISECTIONS = 12;

/** A schedule within `budget`, or null when even the cheapest executor for every step exceeds it. */
export function fitBudget(p: SchedulingProblem, fastest: RawSchedule, budget: number, onSchedule?: (s: RawSchedule) => void): RawSchedule | null {
  const best = lagrangianFit(p, fastest, budget, onSchedule);
  if (!best || p.taskCount >= LARGE_GOAL_TASKS) return best;
  const polished = searchSchedule(p, { fixed: best.option, improveTop: 2, improvementRounds: 3 }).schedule;
  return isBetter(polished, best) ? polished : best;
}

/**
 * Bisects the cost weight λ; returns the shortest schedule within budget seen, or null. Every
 * schedule of the sweep goes to `onSchedule`: over budget ones still trade time for cost usefully
 * when a deadline binds too (deadline-budget.ts). `bisections` defaults to what `fitBudget` takes.
 */
export function lagrangianFit(p: SchedulingProblem, fastest: RawSchedule, budget: number, onSchedule?: (s: RawSchedule) => void, bisections?: number): RawSchedule | null {
  const tolerance = 1e-9 * Math.max(1, budget);
  const priority = bottomLevelSuccessors(p);
  let best: RawSchedule | null = null;
  const run = (lambda: number): RawSchedule => {
    const s = listSchedule(p, priority, 'serial', undefined, lambda);
    onSchedule?.(s);
    if (s.cost <= budget + tolerance && (best === null || isBetter(s, best))) best = s;
    return s;
  };
  // λ converts cost to time: start where one unit of the overrun is worth the fastest makespan.
  let hi = fastest.makespan / Math.max(tolerance, fastest.cost - budget);
  let lo = 0;
  for (let k = 0; k < 60 && run(hi).cost > budget + tolerance; k++) {
    lo = hi;
    hi *= 4;
  }
  if (best === null) return null;
  for (let k = 0, steps = bisections ?? (p.taskCount >= LARGE_GOAL_TASKS ? LARGE_GOAL_BISECTIONS : BISECTIONS); k < steps; k++) {
    const mid = (lo + hi) / 2;
    if (run(mid).cost <= budget + tolerance) hi = mid;
    else lo = mid;
  }
  return best;
}
