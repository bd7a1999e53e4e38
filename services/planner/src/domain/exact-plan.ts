/**
 * An exact answer to "is there a schedule within this deadline and this budget?" for small
 * problems, by depth-first search. It is the reference that proves a refusal on small instances,
 * and `refine`'s last resort on them.
 *
 * Why the search is complete: cost depends only on which option each task takes, and for a fixed
 * choice of options any feasible schedule S can be rebuilt task by task in order of S's start times,
 * each task starting at the earliest instant at or after both its predecessors' finishes and the
 * previous task's start at which an executor of its kind is free. By induction each rebuilt start
 * is no later than in S (everything running at S's start in the rebuild also runs there in S), so
 * the rebuild is feasible and no longer. The search therefore branches only over (next task,
 * option) with non-decreasing starts, and never over which of several identical executors to use:
 * executors with the same options for every task form one class, and any member free at the start
 * instant is as good as another because nothing placed later starts earlier.
 */
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { topologicalOrder } from './topology';

/** How far the search may go. */
export interface ExactOptions {
  /** Search nodes and choices examined before giving up with `unknown`. @default 500_000 */
  readonly maxNodes?: number;
}

/** A schedule within both bounds, a proof that none exists, or too large to decide. */
export type ExactResult =
  | { readonly status: 'feasible'; readonly schedule: RawSchedule; readonly nodes: number }
  | { readonly status: 'infeasible'; readonly nodes: number }
  | { readonly status: 'unknown'; readonly nodes: number };

interface ClassOption { readonly members: readonly number[]; readonly duration: number; readonly cost: number; readonly optionOf: ReadonlyMap<number, number> }

/** Searches for a schedule with makespan ≤ `deadline` and cost ≤ `budget` (both with 1e-9 relative slack). */
export function exactWithinBounds(p: SchedulingProblem, deadline: number, budget: number, options: ExactOptions = {}): ExactResult {
  const n = p.taskCount;
  const maxNodes = options.maxNodes ?? 500_000;
  const deadlineTol = deadline + 1e-9 * Math.max(1, Math.abs(deadline));
  const budgetTol = budget + 1e-9 * Math.max(1, Math.abs(budget));
  const choices = classOptions(p);
  const minDuration = Float64Array.from(choices, (cs) => Math.min(...cs.map((c) => c.duration)));
  const minCost = Float64Array.from(choices, (cs) => Math.min(...cs.map((c) => c.cost)));
  const order = topologicalOrder(p);
  if (!order) throw new Error('exactWithinBounds: the problem graph has a cycle');
  const bottom = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    const u = order[j]!;
    let tail = 0;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) tail = Math.max(tail, bottom[p.succIndex[k]!]!);
    bottom[u] = minDuration[u]! + tail;
  }

  const placed = new Uint8Array(n);
  const option = new Int32Array(n);
  const executor = new Int32Array(n);
  const start = new Float64Array(n);
  const finish = new Float64Array(n);
  const free = Float64Array.from(p.executorFreeMs);
  const waiting = Int32Array.from({ length: n }, (_, i) => p.predOffsets[i + 1]! - p.predOffsets[i]!);
  const lowerFinish = new Float64Array(n);
  let remainingMinCost = minCost.reduce((a, b) => a + b, 0);
  let nodes = 0;

  const readyAt = (u: number): number => {
    let r = p.releaseMs[u]!;
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) r = Math.max(r, finish[p.predIndex[k]!]!);
    return r;
  };
  // Every unplaced task starts no earlier than the last start, its release and its predecessors'
  // (lower-bound) finishes; with its fastest remaining path it must still end by the deadline.
  const timeBoundHolds = (lastStart: number): boolean => {
    for (const u of order) {
      if (placed[u]) {
        lowerFinish[u] = finish[u]!;
        continue;
      }
      let s = Math.max(lastStart, p.releaseMs[u]!);
      for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) s = Math.max(s, lowerFinish[p.predIndex[k]!]!);
      if (s + bottom[u]! > deadlineTol) return false;
      lowerFinish[u] = s + minDuration[u]!;
    }
    return true;
  };

  const search = (count: number, lastStart: number, cost: number): boolean | null => {
    if (count === n) return true;
    if (++nodes > maxNodes) return null;
    if (cost + remainingMinCost > budgetTol || !timeBoundHolds(lastStart)) return false;
    for (const u of order) {
      if (placed[u] || waiting[u]! > 0) continue;
      const ready = Math.max(readyAt(u), lastStart);
      for (const c of choices[u]!) {
        // Every choice examined counts, pruned or not: with hundreds of executor classes the
        // loop itself, not the recursion, is the work the limit must bound.
        if (++nodes > maxNodes) return null;
        if (cost + c.cost + remainingMinCost - minCost[u]! > budgetTol) continue;
        let e = c.members[0]!;
        for (const m of c.members) if (free[m]! < free[e]!) e = m;
        const s = Math.max(ready, free[e]!);
        if (s + c.duration > deadlineTol) continue;
        const previousFree = free[e]!;
        placed[u] = 1;
        option[u] = c.optionOf.get(e)!;
        executor[u] = e;
        start[u] = s;
        finish[u] = s + c.duration;
        free[e] = s + c.duration;
        remainingMinCost -= minCost[u]!;
        for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) waiting[p.succIndex[k]!]! -= 1;
        const found = search(count + 1, s, cost + c.cost);
        if (found !== false) return found;
        for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) waiting[p.succIndex[k]!]! += 1;
        remainingMinCost += minCost[u]!;
        free[e] = previousFree;
        placed[u] = 0;
      }
    }
    return false;
  };

  const found = search(0, -Infinity, 0);
  if (found === null) return { status: 'unknown', nodes };
  if (!found) return { status: 'infeasible', nodes };
  let makespan = 0;
  let cost = 0;
  for (let u = 0; u < n; u++) {
    makespan = Math.max(makespan, finish[u]!);
    cost += p.optionCost[option[u]!]!;
  }
  return { status: 'feasible', schedule: { option, executor, start, finish, makespan, cost }, nodes };
}

/** Per task, one choice per class of interchangeable executors, cheapest first. */
function classOptions(p: SchedulingProblem): ClassOption[][] {
  const n = p.taskCount;
  // An executor's signature: its duration and cost for every task it may run.
  const signature: string[] = Array.from({ length: p.executorCount }, () => '');
  for (let u = 0; u < n; u++) {
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) {
      signature[p.optionExecutor[o]!] += `${u}:${p.optionDuration[o]}:${p.optionCost[o]};`;
    }
  }
  const out: ClassOption[][] = [];
  for (let u = 0; u < n; u++) {
    const bySignature = new Map<string, { members: number[]; duration: number; cost: number; optionOf: Map<number, number> }>();
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) {
      const e = p.optionExecutor[o]!;
      const key = signature[e]!;
      const c = bySignature.get(key) ?? { members: [] as number[], duration: p.optionDuration[o]!, cost: p.optionCost[o]!, optionOf: new Map<number, number>() };
      c.members.push(e);
      c.optionOf.set(e, o);
      bySignature.set(key, c);
    }
    out.push([...bySignature.values()].sort((a, b) => a.cost - b.cost || a.duration - b.duration));
  }
  return out;
}
