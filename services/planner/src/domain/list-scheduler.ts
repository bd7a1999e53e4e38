/**
 * Two list schedulers over the same problem and priorities.
 * - `serial`: the HEFT family. Take the highest-priority task whose predecessors are all placed,
 *   and put it on the eligible executor where it finishes earliest, inserting into idle gaps.
 * - `non-delay`: the CP/MISF family (Graham's list scheduling). Advance time; whenever executors
 *   are free, give them the highest-priority tasks whose predecessors have finished.
 * With `fixed`, each task's option (executor) is given and only timing is decided. With a
 * `costWeight` λ > 0, `serial` picks the option minimising finish + λ·cost instead of finish alone
 * (a Lagrangian relaxation of the budget; see budget.ts).
 */
import { createTaskHeap } from './priority-queue';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { earliestFit, executorTimelines, occupy } from './timeline';

/** Task priorities: larger first; `secondary` breaks ties, then the lower index. */
export interface Priority {
  readonly primary: Float64Array;
  readonly secondary?: Float64Array;
}

/** Which list-scheduling scheme to run. */
export type ListMode = 'serial' | 'non-delay';

/** Runs one list-scheduling pass. */
export function listSchedule(p: SchedulingProblem, priority: Priority, mode: ListMode, fixed?: Int32Array, costWeight = 0): RawSchedule {
  if (mode === 'serial') return serial(p, priority, fixed, costWeight);
  return fixed ? nonDelayFixed(p, priority, fixed) : nonDelay(p, priority);
}

function emptySchedule(n: number): { option: Int32Array; executor: Int32Array; start: Float64Array; finish: Float64Array } {
  return { option: new Int32Array(n), executor: new Int32Array(n), start: new Float64Array(n), finish: new Float64Array(n) };
}

function serial(p: SchedulingProblem, priority: Priority, fixed: Int32Array | undefined, costWeight: number): RawSchedule {
  const n = p.taskCount;
  const s = emptySchedule(n);
  const timelines = executorTimelines(p);
  const waiting = new Int32Array(n);
  const heap = createTaskHeap(priority.primary, priority.secondary);
  let mostOptions = 1;
  for (let i = 0; i < n; i++) {
    waiting[i] = p.predOffsets[i + 1]! - p.predOffsets[i]!;
    if (waiting[i] === 0) heap.push(i);
    mostOptions = Math.max(mostOptions, p.optionOffsets[i + 1]! - p.optionOffsets[i]!);
  }
  // Each option's score if it started when ready, for the task being placed.
  const bounds = new Float64Array(mostOptions);
  let makespan = 0;
  let cost = 0;
  for (let u = heap.pop(); u >= 0; u = heap.pop()) {
    let ready = p.releaseMs[u]!;
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) ready = Math.max(ready, s.finish[p.predIndex[k]!]!);
    const lo = fixed ? fixed[u]! : p.optionOffsets[u]!;
    const hi = fixed ? lo + 1 : p.optionOffsets[u + 1]!;
    // The winner is the least (score, cost, index). An option's score is at least its score if it
    // started when ready, so the option with the least such bound is fitted first, and the others
    // only when that bound could still beat or tie the best: the same choice, with far fewer scans
    // of busy timelines (most of a pass at 1,000 steps on twelve executors).
    let first = lo;
    let firstBound = Infinity;
    for (let o = lo; o < hi; o++) {
      const bound = ready + p.optionDuration[o]! + costWeight * p.optionCost[o]!;
      bounds[o - lo] = bound;
      if (bound < firstBound || (bound === firstBound && p.optionCost[o]! < p.optionCost[first]!)) {
        first = o;
        firstBound = bound;
      }
    }
    let best = first;
    let bestFit = earliestFit(timelines[p.optionExecutor[first]!]!, ready, p.optionDuration[first]!, true);
    let bestFinish = bestFit.start + p.optionDuration[first]!;
    let bestScore = bestFinish + costWeight * p.optionCost[first]!;
    for (let o = lo; o < hi; o++) {
      if (o === first) continue;
      const cost = p.optionCost[o]!;
      const bestCost = p.optionCost[best]!;
      const bound = bounds[o - lo]!;
      if (bound > bestScore || (bound === bestScore && (cost > bestCost || (cost === bestCost && o > best)))) continue;
      const fit = earliestFit(timelines[p.optionExecutor[o]!]!, ready, p.optionDuration[o]!, true);
      const finish = fit.start + p.optionDuration[o]!;
      const score = finish + costWeight * cost;
      if (score < bestScore || (score === bestScore && (cost < bestCost || (cost === bestCost && o < best)))) {
        best = o;
        bestFit = fit;
        bestFinish = finish;
        bestScore = score;
      }
    }
    occupy(timelines[p.optionExecutor[best]!]!, bestFit, bestFinish);
    record(s, u, best, p.optionExecutor[best]!, bestFit.start, bestFinish);
    makespan = Math.max(makespan, bestFinish);
    cost += p.optionCost[best]!;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) {
      const v = p.succIndex[k]!;
      if (--waiting[v]! === 0) heap.push(v);
    }
  }
  return { ...s, makespan, cost };
}

function record(s: ReturnType<typeof emptySchedule>, u: number, option: number, executor: number, start: number, finish: number): void {
  s.option[u] = option;
  s.executor[u] = executor;
  s.start[u] = start;
  s.finish[u] = finish;
}

function nonDelay(p: SchedulingProblem, priority: Priority, fixed?: Int32Array): RawSchedule {
  const n = p.taskCount;
  const m = p.executorCount;
  const s = emptySchedule(n);
  const free = Float64Array.from(p.executorFreeMs);
  // Executors no task may use (outside the charter's allowed set) are free forever; counting them
  // as free would pop and stash every ready task at every event, quadratic on wide graphs.
  const usable = new Uint8Array(m);
  for (let o = 0; o < p.optionExecutor.length; o++) usable[p.optionExecutor[o]!] = 1;
  const someFree = (t: number): boolean => {
    for (let e = 0; e < m; e++) if (usable[e] && free[e]! <= t) return true;
    return false;
  };
  const releases = createReleases(p);
  const ready = createTaskHeap(priority.primary, priority.secondary);
  let placed = 0;
  let makespan = 0;
  let cost = 0;
  let t = 0;
  const stash: number[] = [];
  while (placed < n) {
    for (let u = releases.takeAvailable(t); u >= 0; u = releases.takeAvailable(t)) ready.push(u);
    let anyFree = someFree(t);
    while (anyFree && ready.size > 0) {
      const u = ready.pop();
      const lo = fixed ? fixed[u]! : p.optionOffsets[u]!;
      const hi = fixed ? lo + 1 : p.optionOffsets[u + 1]!;
      let best = -1;
      for (let o = lo; o < hi; o++) {
        if (free[p.optionExecutor[o]!]! > t) continue;
        if (best < 0 || p.optionDuration[o]! < p.optionDuration[best]!
          || (p.optionDuration[o] === p.optionDuration[best] && p.optionCost[o]! < p.optionCost[best]!)) best = o;
      }
      if (best < 0) {
        stash.push(u);
        continue;
      }
      const finish = t + p.optionDuration[best]!;
      free[p.optionExecutor[best]!] = finish;
      record(s, u, best, p.optionExecutor[best]!, t, finish);
      placed++;
      makespan = Math.max(makespan, finish);
      cost += p.optionCost[best]!;
      releases.finished(u, finish);
      anyFree = someFree(t);
    }
    for (const u of stash) ready.push(u);
    stash.length = 0;
    // Zero-duration tasks can make successors available at this same instant.
    let next = releases.nextAt();
    if (next <= t) continue;
    for (let e = 0; e < m; e++) if (free[e]! > t && free[e]! < next) next = free[e]!;
    if (next === Infinity) {
      if (placed < n) throw new Error('non-delay scheduler stalled: a task has no option (check eligibility first)');
      break;
    }
    t = next;
  }
  return { ...s, makespan, cost };
}

/**
 * Tasks held until their predecessors are done, in the order they become available: both non-delay
 * schemes take from it the tasks available at an instant and hand it each finish.
 */
function createReleases(p: SchedulingProblem) {
  const n = p.taskCount;
  const waiting = new Int32Array(n);
  const available = Float64Array.from(p.releaseMs);
  const negAvailable = new Float64Array(n);
  const pending = createTaskHeap(negAvailable); // min-heap on the time predecessors are done
  const release = (v: number): void => {
    negAvailable[v] = -available[v]!;
    pending.push(v);
  };
  for (let i = 0; i < n; i++) {
    waiting[i] = p.predOffsets[i + 1]! - p.predOffsets[i]!;
    if (waiting[i] === 0) release(i);
  }
  return {
    /** The next task available by `t`, or -1. */
    takeAvailable(t: number): number {
      return pending.size > 0 && available[pending.peek()]! <= t ? pending.pop() : -1;
    },
    /** When the earliest held task becomes available; Infinity when none is held. */
    nextAt(): number {
      return pending.size > 0 ? available[pending.peek()]! : Infinity;
    },
    finished(u: number, finish: number): void {
      for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) {
        const v = p.succIndex[k]!;
        available[v] = Math.max(available[v]!, finish);
        if (--waiting[v]! === 0) release(v);
      }
    },
  };
}

/**
 * `non-delay` with every task's executor given. The same schedule as the general scheme (at each
 * instant, the highest-priority ready task whose executor is free starts), but each executor keeps
 * its own queue of ready tasks, so an instant costs O(executors) rather than a pop and re-push of
 * every ready task: on a wide fan of a thousand steps that was most of a refine's time.
 */
function nonDelayFixed(p: SchedulingProblem, priority: Priority, fixed: Int32Array): RawSchedule {
  const n = p.taskCount;
  const m = p.executorCount;
  const s = emptySchedule(n);
  const free = Float64Array.from(p.executorFreeMs);
  const releases = createReleases(p);
  const queues = Array.from({ length: m }, () => createTaskHeap(priority.primary, priority.secondary));
  const before = (a: number, b: number): boolean => {
    const pa = priority.primary[a]!;
    const pb = priority.primary[b]!;
    if (pa !== pb) return pa > pb;
    const sa = priority.secondary?.[a] ?? 0;
    const sb = priority.secondary?.[b] ?? 0;
    if (sa !== sb) return sa > sb;
    return a < b;
  };
  let placed = 0;
  let makespan = 0;
  let cost = 0;
  let t = 0;
  while (placed < n) {
    for (let u = releases.takeAvailable(t); u >= 0; u = releases.takeAvailable(t)) {
      queues[p.optionExecutor[fixed[u]!]!]!.push(u);
    }
    for (;;) {
      let e = -1;
      for (let k = 0; k < m; k++) {
        if (free[k]! > t || queues[k]!.size === 0) continue;
        if (e < 0 || before(queues[k]!.peek(), queues[e]!.peek())) e = k;
      }
      if (e < 0) break;
      const u = queues[e]!.pop();
      const o = fixed[u]!;
      const finish = t + p.optionDuration[o]!;
      free[e] = finish;
      record(s, u, o, e, t, finish);
      placed++;
      makespan = Math.max(makespan, finish);
      cost += p.optionCost[o]!;
      releases.finished(u, finish);
    }
    let next = releases.nextAt();
    if (next <= t) continue;
    for (let e = 0; e < m; e++) if (free[e]! > t && free[e]! < next) next = free[e]!;
    if (next === Infinity) {
      if (placed < n) throw new Error('non-delay scheduler stalled: a task has no option (check eligibility first)');
      break;
    }
    t = next;
  }
  return { ...s, makespan, cost };
}
