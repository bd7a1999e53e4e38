/**
 * A lower bound on the cost of every schedule that meets a deadline, by Lagrangian relaxation: a
 * few milliseconds of arithmetic that can prove a deadline–budget refusal before any schedule is
 * searched, and rule out a pool of executors before its fastest plan is computed.
 *
 * Any schedule finishing by the deadline D satisfies, besides precedence and no-overlap:
 * - each task u takes an option o that can fit at all: its earliest possible start (predecessors
 *   on their fastest options, the release, the executor's free time) plus d_o plus the fastest
 *   remaining path after u is at most D;
 * - per group g of executors (a kind, or a pool), the busy time on g is at most its capacity
 *   Σ_{e∈g} (D − free_e): an executor cannot work past the deadline or before it is free;
 * - along any chain P of the graph, Σ_{u∈P} d_u ≤ D − (the chain head's earliest start).
 * Pricing the last two with multipliers λ_g, μ ≥ 0 and relaxing them leaves a problem that splits
 * per task: L(λ, μ) = Σ_u min_o (c_o + (λ_g(o) + μ·[u∈P]) d_o) − Σ_g λ_g cap_g − μ·room_P, and every
 * L(λ, μ) is at most the cost of every schedule within D (weak duality). The multipliers are raised
 * by projected subgradient steps towards a target; whatever they reach, the bound stays valid, so
 * a poor convergence can only make it weaker, never wrong.
 */
import type { SchedulingProblem } from './scheduling-problem';

/** What the bound needs beyond the problem. */
export interface CostBoundInput {
  /** A topological order of the tasks. */
  readonly order: Int32Array;
  /** Per executor, its group (executors of one kind share a multiplier); groups are 0..k-1. */
  readonly group: Int32Array;
  /** Only executors with a 1 here may be used (a pool); all when absent. */
  readonly allowed?: Uint8Array;
  /** Stop as soon as the bound exceeds this (the budget): the proof is then complete. */
  readonly target: number;
  /** Subgradient steps; the step sizes are damped over this many. @default 40 */
  readonly iterations?: number;
  /** Give up after this many steps if the target is not yet passed (the same steps as the full run until then). @default iterations */
  readonly stopAfter?: number;
}

/**
 * The largest bound found: no schedule of `p` (on the allowed executors) with makespan ≤
 * `deadline` costs less. Infinity when some task has no option that can meet the deadline at all.
 */
export function costLowerBound(p: SchedulingProblem, deadline: number, input: CostBoundInput): number {
  if (!Number.isFinite(deadline)) return cheapestTotal(p, input.allowed);
  const shape = chainShape(p, input);
  const iterations = input.iterations ?? 40;
  return shape ? boundAt(shape, deadline, input.target, iterations, Math.min(iterations, input.stopAfter ?? iterations)) : Infinity;
}

/** What the bound needs that does not depend on the deadline: computed once for every horizon tried. */
interface ChainShape {
  readonly p: SchedulingProblem;
  readonly group: Int32Array;
  readonly allowed: Uint8Array | undefined;
  /** Per task, with every task on its fastest usable option: its earliest start and the longest path after it. */
  readonly earliest: Float64Array;
  readonly after: Float64Array;
  /** The longest such chain, and its head. */
  readonly onChain: Uint8Array;
  readonly head: number;
}

/** Null when some task has no usable option at all. */
function chainShape(p: SchedulingProblem, input: Omit<CostBoundInput, 'target'>): ChainShape | null {
  const n = p.taskCount;
  const { order, group, allowed } = input;
  const usable = (o: number): boolean => !allowed || allowed[p.optionExecutor[o]!] === 1;

  // Earliest starts and remaining paths with every task on its fastest usable option.
  const fastest = new Float64Array(n).fill(Infinity);
  const earliestFree = new Float64Array(n).fill(Infinity);
  for (let u = 0; u < n; u++) {
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) {
      if (!usable(o)) continue;
      fastest[u] = Math.min(fastest[u]!, p.optionDuration[o]!);
      earliestFree[u] = Math.min(earliestFree[u]!, p.executorFreeMs[p.optionExecutor[o]!]!);
    }
    if (fastest[u] === Infinity) return null;
  }
  const earliest = new Float64Array(n);
  for (const u of order) {
    let s = Math.max(p.releaseMs[u]!, earliestFree[u]!);
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) {
      const q = p.predIndex[k]!;
      s = Math.max(s, earliest[q]! + fastest[q]!);
    }
    earliest[u] = s;
  }
  const after = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    const u = order[j]!;
    let tail = 0;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) {
      const v = p.succIndex[k]!;
      tail = Math.max(tail, fastest[v]! + after[v]!);
    }
    after[u] = tail;
  }
  // One chain: the longest path on fastest options, from its head.
  const onChain = new Uint8Array(n);
  let head = -1;
  for (const u of order) if (head < 0 || earliest[u]! + fastest[u]! + after[u]! > earliest[head]! + fastest[head]! + after[head]!) head = u;
  for (let u = head; u >= 0;) {
    onChain[u] = 1;
    let next = -1;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) {
      const v = p.succIndex[k]!;
      if (next < 0 || fastest[v]! + after[v]! > fastest[next]! + after[next]!) next = v;
    }
    u = next;
  }
  return { p, group, allowed, earliest, after, onChain, head };
}

/** The bound at one finite deadline. */
function boundAt(shape: ChainShape, deadline: number, target: number, iterations: number, stopAfter = iterations): number {
  const { p, group, allowed, earliest, after, onChain, head } = shape;
  const n = p.taskCount;
  // Refine accepts a makespan a hair over the deadline (rounding); so does the bound.
  const horizon = deadline + 1e-9 * Math.max(1, Math.abs(deadline));
  const usable = (o: number): boolean => !allowed || allowed[p.optionExecutor[o]!] === 1;

  // The options that can meet the deadline at all, per task, flattened; executors of one group
  // with the same duration and cost are one choice to the relaxation.
  const offsets = new Int32Array(n + 1);
  const choiceGroup: number[] = [];
  const choiceDuration: number[] = [];
  const choiceCost: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) {
      if (!usable(o)) continue;
      const e = p.optionExecutor[o]!;
      const d = p.optionDuration[o]!;
      const c = p.optionCost[o]!;
      if (Math.max(earliest[u]!, p.executorFreeMs[e]!) + d + after[u]! > horizon) continue;
      let seen = false;
      for (let k = offsets[u]!; k < choiceGroup.length && !seen; k++) seen = choiceGroup[k] === group[e] && choiceDuration[k] === d && choiceCost[k] === c;
      if (seen) continue;
      choiceGroup.push(group[e]!);
      choiceDuration.push(d);
      choiceCost.push(c);
    }
    if (choiceGroup.length === offsets[u]) return Infinity;
    offsets[u + 1] = choiceGroup.length;
  }

  // Group capacities, and the room along the chain.
  const groups = group.reduce((m, g) => Math.max(m, g + 1), 0);
  const capacity = new Float64Array(groups);
  for (let e = 0; e < p.executorCount; e++) {
    if (allowed && !allowed[e]) continue;
    capacity[group[e]!]! += Math.max(0, horizon - p.executorFreeMs[e]!);
  }
  const chainRoom = horizon - earliest[head]!;

  const lambda = new Float64Array(groups);
  let mu = 0;
  const load = new Float64Array(groups);
  let best = -Infinity;
  // Polyak's steps aim a little past what would complete the proof, or, with no finite target,
  // at the dearest plan of admissible choices (no bound can exceed it when a schedule exists).
  let dearest = 0;
  for (let u = 0; u < n; u++) {
    let most = 0;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) most = Math.max(most, choiceCost[k]!);
    dearest += most;
  }
  const aim = Number.isFinite(target) ? target + 0.05 * Math.max(Math.abs(target), 1e-9) : dearest + 1e-9 * Math.max(1, dearest);
  for (let it = 0; it <= stopAfter; it++) {
    load.fill(0);
    let chainLoad = 0;
    let value = 0;
    for (let u = 0; u < n; u++) {
      const price = onChain[u] ? mu : 0;
      let pick = -1;
      let pickValue = Infinity;
      for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
        const v = choiceCost[k]! + (lambda[choiceGroup[k]!]! + price) * choiceDuration[k]!;
        if (v < pickValue) {
          pickValue = v;
          pick = k;
        }
      }
      value += pickValue;
      load[choiceGroup[pick]!]! += choiceDuration[pick]!;
      if (onChain[u]) chainLoad += choiceDuration[pick]!;
    }
    let norm = 0;
    for (let g = 0; g < groups; g++) {
      value -= lambda[g]! * capacity[g]!;
      const s = load[g]! - capacity[g]!;
      if (lambda[g]! > 0 || s > 0) norm += s * s;
    }
    value -= mu * chainRoom;
    const chainSlope = chainLoad - chainRoom;
    if (mu > 0 || chainSlope > 0) norm += chainSlope * chainSlope;
    best = Math.max(best, value);
    // A zero subgradient means these multipliers are optimal: the bound cannot rise further.
    if (best > target || norm === 0 || it === stopAfter) break;
    // Polyak's step towards the aim, damped as the steps go on.
    const step = (1 - it / (iterations + 1)) * Math.max(aim - value, 1e-12 * Math.max(1, Math.abs(aim))) / norm;
    for (let g = 0; g < groups; g++) lambda[g] = Math.max(0, lambda[g]! + step * (load[g]! - capacity[g]!));
    mu = Math.max(0, mu + step * chainSlope);
  }
  return best;
}

/** With no deadline only eligibility binds: every step on its cheapest usable option. */
function cheapestTotal(p: SchedulingProblem, allowed: Uint8Array | undefined): number {
  let total = 0;
  for (let u = 0; u < p.taskCount; u++) {
    let cheapest = Infinity;
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) if (!allowed || allowed[p.optionExecutor[o]!]) cheapest = Math.min(cheapest, p.optionCost[o]!);
    total += cheapest;
  }
  return total;
}

/**
 * A lower bound on the makespan of every schedule within `budget`, when `costLowerBound` has
 * already shown that none within `proven` ms fits it: bisects between `proven` and `reached` (the
 * makespan of a schedule found within the budget) and returns the longest horizon at which the cost
 * bound still exceeds the budget. Each horizon tested is a proof on its own, so the answer is valid
 * whether or not the bound is monotone in the horizon.
 */
export function makespanLowerBound(p: SchedulingProblem, budget: number, proven: number, reached: number, input: Omit<CostBoundInput, 'target'> & { readonly steps?: number }): number {
  let lo = proven;
  let hi = reached;
  const shape = chainShape(p, input);
  const bound = (horizon: number): number => !Number.isFinite(horizon) ? cheapestTotal(p, input.allowed) : shape ? boundAt(shape, horizon, budget, input.iterations ?? 20) : Infinity;
  // A floor to the nearest 1/64 of the span, with fewer subgradient steps per horizon than a
  // proof gets: this is the refusal's second number, not the proof, and it runs on every refusal.
  for (let k = 0; k < (input.steps ?? 6) && hi > lo; k++) {
    const mid = (lo + hi) / 2;
    if (bound(mid) > budget) lo = mid;
    else hi = mid;
  }
  return lo;
}
