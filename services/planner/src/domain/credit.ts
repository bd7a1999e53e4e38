/**
 * `credit.trace`: who is to blame for a leg finishing late or over cost. Cost overrun is additive
 * per step. Delay is not: only steps on the critical path move the end, and which path is critical
 * changes as durations change. The delay is therefore split by the Aumann–Shapley rule: move all
 * durations together from planned to actual along t ∈ [0, 1]; the makespan M(t) is a convex,
 * piecewise-linear maximum over paths, and on each linear piece the steps of the critical path
 * share its rise in proportion to their own overrun. The shares add up to the total exactly (up to
 * floating-point rounding), an early step on the critical path earns negative blame, and a late
 * step that never becomes critical earns none.
 */
import type { Dependency, StepId } from './graph';
import type { Outcome } from './refusal';
import { accept, refuse } from './refusal';

/** One step of a completed leg, planned against actual. */
export interface LegStep {
  readonly stepId: StepId;
  readonly executorId: string;
  /** Planned start; fixes the order of steps on each executor. */
  readonly plannedStartMs: number;
  readonly plannedDurationMs: number;
  readonly actualDurationMs: number;
  readonly plannedCost: number;
  readonly actualCost: number;
}

/** A completed leg: its steps and the dependencies between them. */
export interface Leg {
  readonly steps: readonly LegStep[];
  readonly dependencies: readonly Dependency[];
}

/** Blame for one party; shares are fractions of the totals and sum to 1 when the total is non-zero. */
export interface Blame {
  readonly delayMs: number;
  readonly delayShare: number;
  readonly costOverrun: number;
  readonly costShare: number;
}

/** The credit trace of a leg. */
export interface CreditTrace {
  readonly plannedMakespanMs: number;
  readonly actualMakespanMs: number;
  readonly delayMs: number;
  readonly costOverrun: number;
  readonly steps: readonly (Blame & { readonly stepId: StepId; readonly executorId: string })[];
  readonly executors: readonly (Blame & { readonly executorId: string })[];
}

interface Network { order: number[]; preds: number[][] }

/** Attributes a leg's delay and cost overrun to its steps and executors. */
export function traceCredit(leg: Leg): Outcome<CreditTrace> {
  const net = buildNetwork(leg);
  if ('error' in net) return refuse({ code: 'invalid_input', reasons: [net.error], details: { fields: ['leg'] } });
  const planned = leg.steps.map((s) => s.plannedDurationMs);
  const delta = leg.steps.map((s) => s.actualDurationMs - s.plannedDurationMs);
  const makespanAt = (t: number): { length: number; path: number[] } => longestPath(net, planned.map((p, i) => p + t * delta[i]!));
  const blame = new Float64Array(leg.steps.length);
  const m0 = makespanAt(0).length;
  const m1 = makespanAt(1).length;
  const tolerance = 1e-9 * Math.max(1, m0, m1);
  // Splits [a, b] until M is linear on it: a convex function agreeing with one of its supporting
  // lines at both ends and the midpoint is that line on the whole interval.
  const split = (a: number, ma: number, b: number, mb: number, depth: number): void => {
    const mid = (a + b) / 2;
    const { length, path } = makespanAt(mid);
    const slope = path.reduce((s, i) => s + delta[i]!, 0);
    const linear = Math.abs(length - slope * (mid - a) - ma) <= tolerance && Math.abs(length + slope * (b - mid) - mb) <= tolerance;
    if (linear || depth >= 40) {
      for (const i of path) blame[i]! += delta[i]! * (b - a);
      return;
    }
    split(a, ma, mid, length, depth + 1);
    split(mid, length, b, mb, depth + 1);
  };
  if (leg.steps.length > 0) split(0, m0, 1, m1, 0);
  const delayMs = m1 - m0;
  absorbRounding(blame, delayMs);
  const costOverrun = leg.steps.reduce((s, x) => s + x.actualCost - x.plannedCost, 0);
  const share = (part: number, total: number): number => (total === 0 ? 0 : part / total);
  const steps = leg.steps.map((s, i) => {
    const over = s.actualCost - s.plannedCost;
    return { stepId: s.stepId, executorId: s.executorId, delayMs: blame[i]!, delayShare: share(blame[i]!, delayMs), costOverrun: over, costShare: share(over, costOverrun) };
  });
  const byExecutor = new Map<string, { delayMs: number; costOverrun: number }>();
  for (const s of steps) {
    const e = byExecutor.get(s.executorId) ?? { delayMs: 0, costOverrun: 0 };
    byExecutor.set(s.executorId, { delayMs: e.delayMs + s.delayMs, costOverrun: e.costOverrun + s.costOverrun });
  }
  const executors = [...byExecutor].map(([executorId, e]) => ({
    executorId, ...e, delayShare: share(e.delayMs, delayMs), costShare: share(e.costOverrun, costOverrun),
  }));
  return accept({ plannedMakespanMs: m0, actualMakespanMs: m1, delayMs, costOverrun, steps, executors });
}

/** Puts the float residual of the split on the largest blame, so the parts sum to the total. */
function absorbRounding(blame: Float64Array, total: number): void {
  if (blame.length === 0) return;
  let largest = 0;
  for (let i = 1; i < blame.length; i++) if (Math.abs(blame[i]!) > Math.abs(blame[largest]!)) largest = i;
  blame[largest]! += total - blame.reduce((s, x) => s + x, 0);
}

/** Orders steps by planned start; each waits for its dependencies and for the previous step on its executor. */
function buildNetwork(leg: Leg): Network | { error: string } {
  const index = new Map(leg.steps.map((s, i) => [s.stepId, i]));
  const order = leg.steps.map((_, i) => i).sort((a, b) => {
    const sa = leg.steps[a]!;
    const sb = leg.steps[b]!;
    return sa.plannedStartMs - sb.plannedStartMs || sa.plannedDurationMs - sb.plannedDurationMs || a - b;
  });
  const position = new Int32Array(leg.steps.length);
  order.forEach((u, k) => { position[u] = k; });
  const preds: number[][] = leg.steps.map(() => []);
  for (const d of leg.dependencies) {
    const from = index.get(d.from);
    const to = index.get(d.to);
    if (from === undefined || to === undefined) return { error: `dependency ${d.from} -> ${d.to} names a step not in the leg` };
    if (position[from]! >= position[to]!) return { error: `planned start of '${d.to}' precedes that of its dependency '${d.from}'` };
    preds[to]!.push(from);
  }
  const lastOn = new Map<string, number>();
  for (const u of order) {
    const e = leg.steps[u]!.executorId;
    const previous = lastOn.get(e);
    if (previous !== undefined) preds[u]!.push(previous);
    lastOn.set(e, u);
  }
  return { order, preds };
}

/** Longest path with the given durations, and the steps on it (ties to the first binding predecessor). */
function longestPath(net: Network, durations: readonly number[]): { length: number; path: number[] } {
  const finish = new Float64Array(durations.length);
  const via = new Int32Array(durations.length).fill(-1);
  let end = -1;
  for (const u of net.order) {
    let start = 0;
    for (const q of net.preds[u]!) {
      if (via[u]! < 0 ? finish[q]! >= start : finish[q]! > start) {
        start = finish[q]!;
        via[u] = q;
      }
    }
    finish[u] = start + durations[u]!;
    if (end < 0 || finish[u]! > finish[end]!) end = u;
  }
  const path: number[] = [];
  for (let u = end; u >= 0; u = via[u]!) path.push(u);
  return { length: end < 0 ? 0 : finish[end]!, path };
}
