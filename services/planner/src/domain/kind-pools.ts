/**
 * Pools of executor kinds and the planner's fastest plan on each: what a portfolio of fixed pools
 * offers. The deadline–budget search tries them last, so that such a portfolio can never find a
 * plan within both bounds that refine refuses.
 */
import type { RawSchedule, SchedulingProblem, TaskOption } from './scheduling-problem';
import { buildProblem } from './scheduling-problem';
import { searchSchedule } from './search';

/** Pools of executor kinds: every non-empty subset for up to four kinds, else each kind and each run of kinds adjacent in index. */
export function kindPools(kind: Int32Array): Uint8Array[] {
  const kinds = kind.reduce((m, k) => Math.max(m, k + 1), 0);
  const masks: number[][] = [];
  if (kinds <= 4) {
    for (let mask = 1; mask < 1 << kinds; mask++) masks.push(Array.from({ length: kinds }, (_, i) => i).filter((i) => mask & (1 << i)));
  } else {
    for (let lo = 0; lo < kinds; lo++) for (let hi = lo; hi < kinds; hi++) masks.push(Array.from({ length: hi - lo + 1 }, (_, j) => lo + j));
  }
  return masks.map((ks) => Uint8Array.from(kind, (k) => (ks.includes(k) ? 1 : 0)));
}

/**
 * The planner's fastest schedule using only the pool's executors; null if a step cannot run there
 * or if no schedule on the pool could meet the bounds (its cheapest cost or its critical path on
 * the pool's fastest executors already breaks one), which spares the full search.
 */
export function fastestOnPool(p: SchedulingProblem, order: Int32Array, inPool: Uint8Array, deadline: number, budget: number): RawSchedule | null {
  const origin: number[] = [];
  const options: TaskOption[][] = [];
  const fastest = new Float64Array(p.taskCount);
  let minimumCost = 0;
  for (let u = 0; u < p.taskCount; u++) {
    const own: TaskOption[] = [];
    let cheapest = Infinity;
    fastest[u] = Infinity;
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) {
      if (!inPool[p.optionExecutor[o]!]) continue;
      own.push({ executor: p.optionExecutor[o]!, durationMs: p.optionDuration[o]!, cost: p.optionCost[o]! });
      origin.push(o);
      cheapest = Math.min(cheapest, p.optionCost[o]!);
      fastest[u] = Math.min(fastest[u]!, p.optionDuration[o]!);
    }
    if (own.length === 0) return null;
    minimumCost += cheapest;
    options.push(own);
  }
  // Lower bounds of any schedule on the pool: its cheapest cost, its critical path, and its least
  // total work spread evenly over the pool's executors.
  const size = inPool.reduce((k, x) => k + x, 0);
  const work = fastest.reduce((a, b) => a + b, 0);
  if (minimumCost > budget || criticalPathLength(p, order, fastest) > deadline || work / size > deadline) return null;
  const restricted = buildProblem(p, p.executorCount, options, p.releaseMs, p.executorFreeMs);
  const x = searchSchedule(restricted).schedule;
  return { ...x, option: Int32Array.from(x.option, (o) => origin[o]!) };
}

/** Longest release-to-exit path with the given durations. */
function criticalPathLength(p: SchedulingProblem, order: Int32Array, durations: Float64Array): number {
  const finish = new Float64Array(p.taskCount);
  let length = 0;
  for (const u of order) {
    let start = p.releaseMs[u]!;
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) start = Math.max(start, finish[p.predIndex[k]!]!);
    finish[u] = start + durations[u]!;
    length = Math.max(length, finish[u]!);
  }
  return length;
}
