/**
 * Deadline and budget together: find a schedule within both bounds when the fastest schedule costs
 * too much and the budget-fitted one is late. Each piece answers a different failure:
 *
 * - A Lagrangian sweep (budget.ts) prices cost in time uniformly, so on a chain every step makes the
 *   same choice and only the "all slow / all medium / all fast" plans come out. The mixes in between
 *   come from two local searches over modes (modes.ts), after LOSS and GAIN (Sakellariou et al.,
 *   2007): `reduceCost` moves the steps with most slack to cheaper kinds of executor, best cost
 *   saved per millisecond lost first, while the deadline holds; `reduceMakespan` moves steps on the
 *   schedule's critical path (precedence and executor queues alike) to faster kinds, best
 *   milliseconds saved per unit of cost first, while the budget holds, and frees budget from slack
 *   steps when the next upgrade does not fit.
 * - Sub-deadlines (the DBCS/BDSD idea): stretch the fastest schedule towards the deadline and give
 *   every step the cheapest kind of executor that still meets its own stretched finish.
 * - The fastest plan on each pool of executor kinds, the same plans a portfolio of fixed pools
 *   would offer, so such a portfolio can never find a plan that refine refuses.
 * - On small goals, the exact search (exact-plan.ts), which also proves a refusal.
 *
 * Before any of that, a Lagrangian lower bound on the cost of every schedule within the deadline
 * (cost-bound.ts) is compared with the budget: when it is higher, no schedule can meet both and
 * the search stops there with that proof (at 1,000 steps it proves 47 of the 49 refusals of
 * bench/plan-grid.ts in a millisecond or two, where trying every piece took longer than the
 * rest of refine). The same bound on each pool of kinds skips pools that cannot hold a plan.
 *
 * Every schedule seen updates the two numbers a refusal reports: the cheapest cost found within
 * the deadline and the shortest makespan found within the budget.
 */
import { costLowerBound, makespanLowerBound } from './cost-bound';
import { exactWithinBounds } from './exact-plan';
import { isBetter } from './improvement';
import type { ModeTable } from './modes';
import { buildModeTable, cheapestModes, modeBottomLevels, modesOf, scheduleModes } from './modes';
import { fastestOnPool, kindPools } from './kind-pools';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { topologicalOrder } from './topology';

/** Goals up to this many steps get the exact search when the heuristics find nothing. */
export const EXACT_MAX_STEPS = 8;
/** Work limit of that exact search, in nodes and choices examined: what bounds its time on goals with many executor classes. */
export const EXACT_MAX_NODES = 500_000;
/** A cost bound proves a refusal only when above the budget by this share: room for rounding in its sum. */
const BOUND_MARGIN = 1e-9;
/** Stretch factors of the sub-deadline scheme: the share of the slack (deadline − fastest) used. */
const STRETCHES = [1, 0.85, 0.7, 0.5] as const;

/** What the search found. */
export interface BoundsSearch {
  /** A schedule within both bounds (the shortest found), or null. */
  readonly within: RawSchedule | null;
  /** Which piece found it. */
  readonly how: string | null;
  /** The cheapest schedule found that meets the deadline. */
  readonly cheapestWithinDeadline: RawSchedule | null;
  /** The shortest schedule found that meets the budget. */
  readonly shortestWithinBudget: RawSchedule | null;
  /** How it was proved that no schedule meets both bounds, if it was. */
  readonly proof: 'exhaustive' | 'lower-bound' | null;
  /** A lower bound on the cost of any schedule within the deadline (the one that proved it), or null. */
  readonly costFloorWithinDeadline: number | null;
  /** With that proof, a lower bound on the makespan of any schedule within the budget, or null. */
  readonly makespanFloorWithinBudget: number | null;
}

/** Inputs beyond the problem. */
export interface BoundsContext {
  /** Schedules already computed (the fastest, the budget fit, the Lagrangian sweep). */
  readonly seeds: readonly { readonly schedule: RawSchedule; readonly how: string }[];
  /** Per executor, its kind (equal speed and price); pools are unions of kinds. */
  readonly executorKind: Int32Array;
  /** A cost bound at the deadline already shown to exceed the budget (`provenConflict`): the refusal is proved, only its numbers are left. */
  readonly provenCostFloor?: number;
}

/**
 * Subgradient steps of the proof tried before the budget fit (`provenConflict`), the first steps of
 * the search's own bound, so a proof found here has the same floor: of the 74 proofs on
 * bench/plan-grid.ts's shapes at 300 and 1,000 steps, 72 come within 16 steps (49 at the first),
 * the other two at 17 and 39. Those are still found after the fit, by the full bound in the search;
 * a cell the bound cannot prove pays only these 16 steps for trying.
 */
export const EARLY_PROOF_ITERATIONS = 16;

/**
 * Bisections of the Lagrangian sweep after such a proof, rather than the budget fit's 12–16: the
 * sweep only supplies the refusal's two numbers then. On the 74 proved refusals of
 * bench/plan-grid.ts's cells at 300 and 1,000 steps, against the full fit: the cheapest cost found
 * within the deadline the same in every one; the shortest makespan found within the budget the
 * same at the median, 0.6 % longer on average and 5.4 % at most (with 4 bisections 1.8 % and 13 %;
 * with none 17 % and 98 %); the makespan floor within 1 %.
 */
export const PROVEN_SWEEP_BISECTIONS = 6;

/**
 * The cost bound at the deadline when it is above the budget, which proves that no schedule meets
 * both; null otherwise. Cheap (a millisecond or less at 1,000 steps), so refine tries it before
 * the budget fit when the fastest schedule meets the deadline but not the budget.
 */
export function provenConflict(p: SchedulingProblem, deadline: number, budget: number, executorKind: Int32Array): number | null {
  const order = topologicalOrder(p);
  if (!order) throw new Error('provenConflict: the problem graph has a cycle');
  const over = budget * (1 + BOUND_MARGIN);
  const floor = costLowerBound(p, deadline, { order, group: executorKind, target: over, stopAfter: EARLY_PROOF_ITERATIONS });
  return floor > over ? floor : null;
}

/** What the schedules seen so far show against the bounds. */
interface Found {
  readonly deadline: number;
  readonly budget: number;
  within: RawSchedule | null;
  how: string | null;
  cheapestWithinDeadline: RawSchedule | null;
  shortestWithinBudget: RawSchedule | null;
}

interface Search extends Found {
  readonly p: SchedulingProblem;
  readonly t: ModeTable;
  readonly order: Int32Array;
  evaluations: number;
  readonly maxEvaluations: number;
}

/** Searches for a schedule within `deadline` and `budget`. */
export function searchWithinBounds(p: SchedulingProblem, deadline: number, budget: number, ctx: BoundsContext): BoundsSearch {
  const order = topologicalOrder(p);
  if (!order) throw new Error('searchWithinBounds: the problem graph has a cycle');
  if (ctx.provenCostFloor !== undefined) return provenByBound(p, deadline, budget, order, ctx, ctx.provenCostFloor);
  const edges = p.predIndex.length;
  const s: Search = {
    p, t: buildModeTable(p), order, evaluations: 0,
    ...nothingFound(deadline, budget),
    // Each evaluation is one list-scheduling pass, O((n + e) log n): about 20 passes at 1,000 steps
    // (near what the fastest search itself spends), hundreds on goals of tens of steps.
    maxEvaluations: Math.max(8, Math.min(600, Math.floor(50_000 / (p.taskCount + edges + 1)))),
  };
  const done = (): BoundsSearch => ({
    within: s.within, how: s.how, cheapestWithinDeadline: s.cheapestWithinDeadline, shortestWithinBudget: s.shortestWithinBudget, proof: null, costFloorWithinDeadline: null, makespanFloorWithinBudget: null,
  });
  for (const seed of ctx.seeds) consider(s, seed.schedule, seed.how);
  const cheapest = cheapestModes(s.t);
  consider(s, scheduleModes(p, s.t, modeBottomLevels(p, s.t, cheapest, order), { modes: cheapest }), 'cheapest');
  if (s.within) return done();
  // A refusal by the bound still reports a schedule on each side; with none found yet within the
  // deadline the search goes on, since the deadline alone may be what cannot be met.
  if (s.cheapestWithinDeadline) {
    const over = budget * (1 + BOUND_MARGIN);
    const floor = costLowerBound(p, deadline, { order, group: ctx.executorKind, target: over });
    if (floor > over) return provenByBound(p, deadline, budget, order, ctx, floor, s);
  }

  const fastest = ctx.seeds.reduce<RawSchedule | null>((best, x) => (best === null || isBetter(x.schedule, best) ? x.schedule : best), null);
  if (fastest && fastest.makespan <= s.deadline) {
    for (const stretch of STRETCHES) {
      const scale = (fastest.makespan + stretch * (s.deadline - fastest.makespan)) / Math.max(fastest.makespan, 1e-9);
      const subDeadlines = Float64Array.from(fastest.finish, (f) => f * scale);
      consider(s, scheduleModes(p, s.t, negated(fastest.start), { subDeadlines }), 'sub-deadlines');
      if (s.within) return done();
    }
  }
  if (s.cheapestWithinDeadline) {
    reduceCost(s, s.cheapestWithinDeadline);
    if (s.within) return done();
  }
  if (s.shortestWithinBudget) {
    reduceMakespan(s, s.shortestWithinBudget);
    if (s.within) return done();
  }
  for (const pool of kindPools(ctx.executorKind)) {
    const over = budget * (1 + BOUND_MARGIN);
    if (costLowerBound(p, deadline, { order, group: ctx.executorKind, allowed: pool, target: over }) > over) continue;
    const schedule = fastestOnPool(p, order, pool, s.deadline, s.budget);
    if (schedule) consider(s, schedule, 'pool');
    if (s.within) return done();
  }
  if (p.taskCount <= EXACT_MAX_STEPS) {
    const exact = exactWithinBounds(p, deadline, budget, { maxNodes: EXACT_MAX_NODES });
    if (exact.status === 'feasible') consider(s, exact.schedule, 'exact');
    if (exact.status === 'infeasible') return { ...done(), proof: 'exhaustive' };
  }
  return done();
}

/**
 * The refusal a cost bound proved: the schedules seen (the seeds, or `found`) give the two bounds
 * that conflict, and the other side of the proof is a floor too: how long any plan within the
 * budget takes.
 */
function provenByBound(p: SchedulingProblem, deadline: number, budget: number, order: Int32Array, ctx: BoundsContext, floor: number, found?: Found): BoundsSearch {
  let s = found;
  if (!s) {
    s = nothingFound(deadline, budget);
    for (const seed of ctx.seeds) consider(s, seed.schedule, seed.how);
  }
  const over = budget * (1 + BOUND_MARGIN);
  const reached = s.shortestWithinBudget ? s.shortestWithinBudget.makespan : deadline;
  const makespanFloor = makespanLowerBound(p, over, deadline, reached, { order, group: ctx.executorKind });
  return {
    within: null, how: null, cheapestWithinDeadline: s.cheapestWithinDeadline, shortestWithinBudget: s.shortestWithinBudget,
    proof: 'lower-bound', costFloorWithinDeadline: floor, makespanFloorWithinBudget: makespanFloor,
  };
}

/** No schedule seen yet; the bounds with the hair of rounding that refine accepts. */
function nothingFound(deadline: number, budget: number): Found {
  return { deadline: deadline * (1 + 1e-12), budget: budget * (1 + 1e-12), within: null, how: null, cheapestWithinDeadline: null, shortestWithinBudget: null };
}

/** Records a schedule against the bounds; returns whether it is within both. */
function consider(s: Found, x: RawSchedule, how: string): boolean {
  const meetsDeadline = x.makespan <= s.deadline;
  const meetsBudget = x.cost <= s.budget;
  if (meetsDeadline && (!s.cheapestWithinDeadline || x.cost < s.cheapestWithinDeadline.cost)) s.cheapestWithinDeadline = x;
  if (meetsBudget && (!s.shortestWithinBudget || isBetter(x, s.shortestWithinBudget))) s.shortestWithinBudget = x;
  if (meetsDeadline && meetsBudget && (!s.within || isBetter(x, s.within))) {
    s.within = x;
    s.how = how;
  }
  return meetsDeadline && meetsBudget;
}

function negated(xs: Float64Array): Float64Array {
  return Float64Array.from(xs, (x) => -x);
}

/** One candidate change: task `task` into mode `mode`, ranked by `score` (larger first). */
interface Move { readonly task: number; readonly mode: number; readonly score: number }

/**
 * Applies the best-scored moves in adaptive batches: a batch that keeps `keeps` true is taken and
 * the next is twice as large; one that breaks it is halved, and a single move that breaks it is
 * never tried again from this point. Re-timing keeps the current order (start times as priority).
 */
function improve(s: Search, from: RawSchedule, movesOf: (x: RawSchedule, modes: Int32Array, banned: Uint8Array) => Move[], keeps: (next: RawSchedule, current: RawSchedule) => boolean, goalMet: (x: RawSchedule) => boolean): RawSchedule {
  let current = from;
  let modes = modesOf(s.t, from);
  const banned = new Uint8Array(s.t.modeDuration.length);
  let batch = 8;
  while (!goalMet(current) && s.evaluations < s.maxEvaluations) {
    const moves = movesOf(current, modes, banned).sort((a, b) => b.score - a.score || a.task - b.task);
    if (moves.length === 0) break;
    const k = Math.min(batch, moves.length);
    const trial = Int32Array.from(modes);
    for (const m of moves.slice(0, k)) trial[m.task] = m.mode;
    const next = scheduleModes(s.p, s.t, negated(current.start), { modes: trial });
    s.evaluations++;
    consider(s, next, 'local search');
    if (keeps(next, current)) {
      current = next;
      modes = trial;
      batch = Math.min(2 * k, 1 << 16);
    } else if (k === 1) {
      banned[moves[0]!.mode] = 1;
    } else {
      batch = Math.max(1, k >> 1);
    }
    if (s.within) break;
  }
  return current;
}

/** Latest finish of every task that keeps `horizon`, through precedence and executor order. */
function latestFinish(s: Search, x: RawSchedule, horizon: number): Float64Array {
  const { p } = s;
  const n = p.taskCount;
  const position = new Int32Array(n);
  s.order.forEach((u, k) => { position[u] = k; });
  const byTime = Array.from({ length: n }, (_, i) => i).sort((a, b) => x.start[a]! - x.start[b]! || x.finish[a]! - x.finish[b]! || position[a]! - position[b]!);
  const nextOnExecutor = new Int32Array(n).fill(-1);
  const lastOn = new Map<number, number>();
  for (const u of byTime) {
    const previous = lastOn.get(x.executor[u]!);
    if (previous !== undefined) nextOnExecutor[previous] = u;
    lastOn.set(x.executor[u]!, u);
  }
  const latest = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    const u = byTime[j]!;
    let lf = horizon;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) {
      const v = p.succIndex[k]!;
      lf = Math.min(lf, latest[v]! - (x.finish[v]! - x.start[v]!));
    }
    const w = nextOnExecutor[u]!;
    if (w >= 0) lf = Math.min(lf, latest[w]! - (x.finish[w]! - x.start[w]!));
    latest[u] = lf;
  }
  return latest;
}

/** Downgrades within slack until the budget is met; keeps the deadline. */
function reduceCost(s: Search, from: RawSchedule, horizon = s.deadline): RawSchedule {
  const { t } = s;
  const movesOf = (x: RawSchedule, modes: Int32Array, banned: Uint8Array): Move[] => {
    const latest = latestFinish(s, x, horizon);
    const moves: Move[] = [];
    for (let u = 0; u < modes.length; u++) {
      const current = modes[u]!;
      const slack = latest[u]! - x.finish[u]!;
      // The cheapest kind that fits the slack saves the most; modes are sorted cheapest first.
      for (let m = t.modeOffsets[u]!; m < current; m++) {
        if (banned[m] || t.modeCost[m]! >= t.modeCost[current]!) continue;
        const loss = t.modeDuration[m]! - t.modeDuration[current]!;
        if (loss > slack + 1e-9) continue;
        const saving = t.modeCost[current]! - t.modeCost[m]!;
        moves.push({ task: u, mode: m, score: saving / Math.max(loss, 1e-9) });
        break;
      }
    }
    return moves;
  };
  return improve(s, from, movesOf, (next, current) => next.makespan <= horizon && next.cost < current.cost, (x) => x.cost <= s.budget);
}

/** Upgrades critical-path steps until the deadline is met; keeps the budget. */
function reduceMakespan(s: Search, from: RawSchedule): RawSchedule {
  const { t } = s;
  let current = from;
  for (let round = 0; round < 8 && current.makespan > s.deadline && s.evaluations < s.maxEvaluations; round++) {
    const movesOf = (x: RawSchedule, modes: Int32Array, banned: Uint8Array): Move[] => {
      const spare = s.budget - x.cost;
      const moves: Move[] = [];
      for (const u of criticalPath(s.p, x)) {
        const cur = modes[u]!;
        let best: Move | null = null;
        for (let m = t.modeOffsets[u]!; m < t.modeOffsets[u + 1]!; m++) {
          const gain = t.modeDuration[cur]! - t.modeDuration[m]!;
          const extra = t.modeCost[m]! - t.modeCost[cur]!;
          if (banned[m] || gain <= 0 || extra > spare) continue;
          const score = gain / Math.max(extra, 1e-9);
          if (!best || score > best.score) best = { task: u, mode: m, score };
        }
        if (best) moves.push(best);
      }
      return moves;
    };
    const upgraded = improve(s, current, movesOf, (next, cur) => next.cost <= s.budget && isBetter(next, cur), (x) => x.makespan <= s.deadline);
    if (s.within || upgraded.makespan <= s.deadline) return upgraded;
    // No upgrade fits the budget any more: buy room by downgrading steps that have slack against
    // the current makespan, then upgrade again.
    const freed = reduceCost(s, upgraded, upgraded.makespan);
    if (freed.cost >= upgraded.cost - 1e-9 * Math.max(1, upgraded.cost)) return upgraded;
    current = freed;
  }
  return current;
}

/** One longest chain of the schedule: each step's start is set by a predecessor or the previous step on its executor. */
function criticalPath(p: SchedulingProblem, x: RawSchedule): number[] {
  const n = p.taskCount;
  if (n === 0) return [];
  const eps = 1e-9 * Math.max(1, x.makespan);
  // The step before each one on its executor.
  const byExecutor = Array.from({ length: n }, (_, i) => i).sort((a, b) => x.executor[a]! - x.executor[b]! || x.start[a]! - x.start[b]! || x.finish[a]! - x.finish[b]!);
  const previous = new Int32Array(n).fill(-1);
  for (let k = 1; k < n; k++) if (x.executor[byExecutor[k]!] === x.executor[byExecutor[k - 1]!]) previous[byExecutor[k]!] = byExecutor[k - 1]!;
  let u = 0;
  for (let i = 1; i < n; i++) if (x.finish[i]! > x.finish[u]!) u = i;
  const path: number[] = [];
  const seen = new Uint8Array(n);
  while (u >= 0 && !seen[u]) {
    seen[u] = 1;
    path.push(u);
    let next = -1;
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) {
      const q = p.predIndex[k]!;
      if (x.finish[q]! >= x.start[u]! - eps) next = q;
    }
    const w = previous[u]!;
    if (next < 0 && w >= 0 && x.finish[w]! >= x.start[u]! - eps) next = w;
    u = next;
  }
  return path;
}
