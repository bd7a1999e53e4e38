/**
 * The scheduling search: a small portfolio of priority rules × list-scheduling modes, then
 * forward-backward improvement of the most promising schedules. Every candidate is a complete,
 * valid schedule, so the search can stop anywhere and still return something correct.
 */
import { forwardBackward, isBetter } from './improvement';
import type { ListMode } from './list-scheduler';
import { listSchedule } from './list-scheduler';
import { priorityRules } from './priorities';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { reverseProblem } from './scheduling-problem';

/** How hard to search. */
export interface SearchOptions {
  /** Keep each task on this option (executor); only timing is searched. */
  readonly fixed?: Int32Array;
  /** How many portfolio schedules get the improvement pass. @default 3; always 1 from LARGE_GOAL_TASKS tasks */
  readonly improveTop?: number;
  /** Forward-backward rounds per improved schedule. @default 4 */
  readonly improvementRounds?: number;
}

/** A schedule and the rule and mode that produced it (useful in reasons and benchmarks). */
export interface SearchResult {
  readonly schedule: RawSchedule;
  readonly rule: string;
  readonly mode: ListMode;
  readonly improved: boolean;
}

const MODES: readonly ListMode[] = ['serial', 'non-delay'];

/**
 * From this many tasks only the best portfolio schedule is improved. Measured on 300–1,000-step
 * workflows (random DAGs and the planning grid's five shapes on twelve executors of three kinds,
 * 78 goals), improving the runners-up never gave a shorter schedule and tripled the search's time;
 * smaller goals, the STG set among them, keep all three (cheap there, and where a runner-up can win).
 */
export const LARGE_GOAL_TASKS = 500;

/** Returns the shortest schedule found (ties to the cheaper). */
export function searchSchedule(p: SchedulingProblem, options: SearchOptions = {}): SearchResult {
  const candidates: SearchResult[] = [];
  for (const rule of priorityRules(p, options.fixed)) {
    for (const mode of MODES) {
      candidates.push({ schedule: listSchedule(p, rule.priority, mode, options.fixed), rule: rule.name, mode, improved: false });
    }
  }
  candidates.sort((a, b) => (isBetter(a.schedule, b.schedule) ? -1 : isBetter(b.schedule, a.schedule) ? 1 : 0));
  let best = candidates[0];
  if (!best) throw new Error('searchSchedule: no priority rule');
  const reversed = reverseProblem(p);
  // Each round costs two full passes, and on large goals a runner-up does not overtake the best.
  const top = p.taskCount >= LARGE_GOAL_TASKS ? 1 : options.improveTop ?? 3;
  const rounds = options.improvementRounds ?? 4;
  for (const c of candidates.slice(0, top)) {
    const improved = forwardBackward(p, reversed, c.schedule, rounds, options.fixed !== undefined);
    if (isBetter(improved, best.schedule)) best = { schedule: improved, rule: c.rule, mode: c.mode, improved: true };
  }
  return best;
}
