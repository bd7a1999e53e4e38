/**
 * Forward-backward improvement ("justification", Valls et al. 2005 for project scheduling):
 * schedule the reversed graph taking tasks in order of latest forward finish, then schedule forward
 * again taking tasks in order of earliest backward-derived start. Each round packs work towards one
 * end and then the other, closing idle gaps a single greedy pass leaves; it never needs the
 * instance's optimum and costs two list-scheduling passes per round.
 */
import type { Priority } from './list-scheduler';
import { listSchedule } from './list-scheduler';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';

/** Improves a schedule by forward-backward passes; returns the best seen (never worse). */
export function forwardBackward(
  p: SchedulingProblem,
  reversed: SchedulingProblem,
  initial: RawSchedule,
  rounds: number,
  keepExecutors: boolean,
): RawSchedule {
  let best = initial;
  let current = initial;
  for (let r = 0; r < rounds; r++) {
    const fixed = keepExecutors ? current.option : undefined;
    // Later forward finish first when going backwards.
    const backward = listSchedule(reversed, tieByIndex(current.finish), 'serial', fixed);
    // A large backward finish means an early forward start.
    const forward = listSchedule(p, tieByIndex(backward.finish), 'serial', keepExecutors ? backward.option : undefined);
    if (!isBetter(forward, best)) {
      if (forward.makespan >= current.makespan) break;
    } else {
      best = forward;
    }
    current = forward;
  }
  return best;
}

function tieByIndex(primary: Float64Array): Priority {
  return { primary };
}

/** Shorter makespan wins; at equal makespan the cheaper schedule. */
export function isBetter(a: RawSchedule, b: RawSchedule): boolean {
  const eps = 1e-9 * Math.max(1, b.makespan);
  if (a.makespan < b.makespan - eps) return true;
  return a.makespan <= b.makespan + eps && a.cost < b.cost - 1e-9 * Math.max(1, b.cost);
}
