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
  /** How many portfolio schedules get the improvement pass. @default 3, or 1 above 2,000 tasks */
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
  // Large graphs gain little from improving runners-up, and each round costs two full passes.
  const top = options.improveTop ?? (p.taskCount > 2000 ? 1 : 3);
  const rounds = options.improvementRounds ?? 4;
  for (const c of candidates.slice(0, top)) {
    const improved = forwardBackward(p, reversed, c.schedule, rounds, options.fixed !== undefined);
    if (isBetter(improved, best.schedule)) best = { schedule: improved, rule: c.rule, mode: c.mode, improved: true };
  }
  return best;
}
