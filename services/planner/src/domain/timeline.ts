/**
 * One executor's busy intervals, sorted and disjoint, with insertion: a task may go into an idle
 * gap before later work if it fits there entirely. Lookup is a binary search to the first interval
 * that ends after the ready time, then a forward scan over the gaps after it.
 *
 * With `mergeTouching`, an interval that starts where another ends is stored as one block. Most
 * placements do (82 % in bench/plan-grid.ts at 1,000 steps on twelve executors), and the forward
 * scan over the separate pieces was a third of a list-scheduling pass. For a task of positive
 * duration the fit is the same: it cannot start inside either piece or end after the joint.
 * A zero-duration task can, at the joint itself, so schedulers merge only when no task has a
 * zero-duration option (`hasZeroDuration`).
 */
import { hasZeroDuration, type SchedulingProblem } from './scheduling-problem';

/** Sorted, disjoint busy intervals [starts[k], finishes[k]). */
export interface Timeline {
  readonly starts: number[];
  readonly finishes: number[];
  /** Whether touching intervals are stored as one block. */
  readonly mergeTouching: boolean;
}

/** An empty timeline, or one busy until `freeMs` (a step already running). */
export function createTimeline(freeMs = 0, mergeTouching = false): Timeline {
  return freeMs > 0 ? { starts: [-Infinity], finishes: [freeMs], mergeTouching } : { starts: [], finishes: [], mergeTouching };
}

/** One timeline per executor of `p`, each busy until the executor is free; touching intervals merged unless a task may take no time. */
export function executorTimelines(p: SchedulingProblem): Timeline[] {
  const merge = !hasZeroDuration(p);
  return Array.from(p.executorFreeMs, (free) => createTimeline(free, merge));
}

/** Where a task of `duration` ready at `ready` would start, and the slot it would occupy. */
export interface Fit {
  readonly start: number;
  readonly slot: number;
}

/** The earliest start >= ready at which [start, start + duration) overlaps no busy interval. */
export function earliestFit(t: Timeline, ready: number, duration: number, insertion: boolean): Fit {
  const n = t.starts.length;
  if (!insertion || n === 0 || ready >= t.finishes[n - 1]!) {
    return { start: Math.max(ready, n > 0 ? t.finishes[n - 1]! : ready), slot: n };
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.finishes[mid]! <= ready) lo = mid + 1;
    else hi = mid;
  }
  let start = ready;
  for (let k = lo; k < n; k++) {
    if (start + duration <= t.starts[k]!) return { start, slot: k };
    start = Math.max(start, t.finishes[k]!);
  }
  return { start, slot: n };
}

/** Records [start, finish) at the slot `earliestFit` returned. */
export function occupy(t: Timeline, fit: Fit, finish: number): void {
  const { slot } = fit;
  if (t.mergeTouching) {
    const joinsPrevious = slot > 0 && t.finishes[slot - 1] === fit.start;
    const joinsNext = slot < t.starts.length && t.starts[slot] === finish;
    if (joinsPrevious && joinsNext) {
      t.finishes[slot - 1] = t.finishes[slot]!;
      t.starts.splice(slot, 1);
      t.finishes.splice(slot, 1);
      return;
    }
    if (joinsPrevious) {
      t.finishes[slot - 1] = finish;
      return;
    }
    if (joinsNext) {
      t.starts[slot] = fit.start;
      return;
    }
  }
  if (slot === t.starts.length) {
    t.starts.push(fit.start);
    t.finishes.push(finish);
  } else {
    t.starts.splice(slot, 0, fit.start);
    t.finishes.splice(slot, 0, finish);
  }
}
