/**
 * Modes: a task's options grouped by what they cost and how long they take. Executors of one kind
 * (same speed, same price) give a task the same duration and cost, so choosing a mode per task
 * fixes the plan's cost exactly while leaving the scheduler free to pick whichever executor of
 * that kind is free first. Time–cost trade-offs are searched over modes, not executors: moving a
 * step to "a slower, cheaper kind" is one decision, not one per executor.
 */
import { createTaskHeap } from './priority-queue';
import type { RawSchedule, SchedulingProblem } from './scheduling-problem';
import { earliestFit, executorTimelines, occupy } from './timeline';

/** Every task's modes, cheapest first (then fastest), in flat arrays. */
export interface ModeTable {
  /** Modes of task u are modeOffsets[u] .. modeOffsets[u+1], in order of cost, then duration. */
  readonly modeOffsets: Int32Array;
  readonly modeDuration: Float64Array;
  readonly modeCost: Float64Array;
  /** Options of mode k are modeOptions[modeOptionOffsets[k] .. modeOptionOffsets[k+1]]. */
  readonly modeOptionOffsets: Int32Array;
  readonly modeOptions: Int32Array;
  /** The mode each option belongs to. */
  readonly optionMode: Int32Array;
}

/** Groups each task's options into modes of equal duration and cost. */
export function buildModeTable(p: SchedulingProblem): ModeTable {
  const n = p.taskCount;
  const { optionCost: cost, optionDuration: duration } = p;
  // Each task's options sorted in place of its own span (cost, then duration, then index): an
  // insertion sort, since pools list executors in few kinds and mostly cheapest first. Modes are
  // runs of that order, so the flat list of options by mode is this array itself.
  const modeOptions = new Int32Array(p.optionExecutor.length);
  const optionMode = new Int32Array(p.optionExecutor.length);
  const modeOffsets = new Int32Array(n + 1);
  const modeStart: number[] = [];
  const modeDuration: number[] = [];
  const modeCost: number[] = [];
  for (let u = 0; u < n; u++) {
    const lo = p.optionOffsets[u]!;
    const hi = p.optionOffsets[u + 1]!;
    for (let o = lo; o < hi; o++) {
      let k = o;
      for (; k > lo; k--) {
        const a = modeOptions[k - 1]!;
        if (cost[a]! < cost[o]! || (cost[a] === cost[o] && (duration[a]! < duration[o]! || (duration[a] === duration[o] && a < o)))) break;
        modeOptions[k] = a;
      }
      modeOptions[k] = o;
    }
    for (let k = lo; k < hi; k++) {
      const o = modeOptions[k]!;
      const last = modeStart.length - 1;
      if (modeStart.length === modeOffsets[u] || modeDuration[last] !== duration[o] || modeCost[last] !== cost[o]) {
        modeStart.push(k);
        modeDuration.push(duration[o]!);
        modeCost.push(cost[o]!);
      }
      optionMode[o] = modeStart.length - 1;
    }
    modeOffsets[u + 1] = modeStart.length;
  }
  const modeOptionOffsets = new Int32Array(modeStart.length + 1);
  modeStart.forEach((k, m) => { modeOptionOffsets[m] = k; });
  modeOptionOffsets[modeStart.length] = modeOptions.length;
  return { modeOffsets, modeDuration: Float64Array.from(modeDuration), modeCost: Float64Array.from(modeCost), modeOptionOffsets, modeOptions, optionMode };
}

/** The mode of every task in a schedule. */
export function modesOf(t: ModeTable, s: RawSchedule): Int32Array {
  return Int32Array.from(s.option, (o) => t.optionMode[o]!);
}

/** Every task in its cheapest mode. */
export function cheapestModes(t: ModeTable): Int32Array {
  return Int32Array.from({ length: t.modeOffsets.length - 1 }, (_, u) => t.modeOffsets[u]!);
}

/** Bottom levels (longest path to the exit, own duration included) with each task in its mode. */
export function modeBottomLevels(p: SchedulingProblem, t: ModeTable, modes: Int32Array, order: Int32Array): Float64Array {
  const bottom = new Float64Array(p.taskCount);
  for (let j = order.length - 1; j >= 0; j--) {
    const u = order[j]!;
    let tail = 0;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) tail = Math.max(tail, bottom[p.succIndex[k]!]!);
    bottom[u] = t.modeDuration[modes[u]!]! + tail;
  }
  return bottom;
}

/**
 * Serial list scheduling with insertion, highest `priority` first among ready tasks. With `modes`,
 * each task runs in its mode on whichever executor of that mode finishes it first. With
 * `subDeadlines` instead (the sub-deadline scheme of deadline–budget heuristics), each task takes
 * the cheapest mode that can still finish by its own sub-deadline, or the earliest finish if none can.
 */
export function scheduleModes(p: SchedulingProblem, t: ModeTable, priority: Float64Array, choice: { readonly modes: Int32Array } | { readonly subDeadlines: Float64Array }): RawSchedule {
  const n = p.taskCount;
  const option = new Int32Array(n);
  const executor = new Int32Array(n);
  const start = new Float64Array(n);
  const finish = new Float64Array(n);
  const timelines = executorTimelines(p);
  const waiting = new Int32Array(n);
  const heap = createTaskHeap(priority);
  for (let i = 0; i < n; i++) {
    waiting[i] = p.predOffsets[i + 1]! - p.predOffsets[i]!;
    if (waiting[i] === 0) heap.push(i);
  }
  // Earliest fit of task u in mode m, over the mode's executors.
  const fitIn = (m: number, ready: number): { option: number; start: number; slot: number } => {
    const duration = t.modeDuration[m]!;
    let best = { option: -1, start: Infinity, slot: 0 };
    for (let k = t.modeOptionOffsets[m]!; k < t.modeOptionOffsets[m + 1]!; k++) {
      const o = t.modeOptions[k]!;
      const fit = earliestFit(timelines[p.optionExecutor[o]!]!, ready, duration, true);
      if (fit.start < best.start) best = { option: o, start: fit.start, slot: fit.slot };
    }
    return best;
  };
  let makespan = 0;
  let cost = 0;
  for (let u = heap.pop(); u >= 0; u = heap.pop()) {
    let ready = p.releaseMs[u]!;
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) ready = Math.max(ready, finish[p.predIndex[k]!]!);
    let m: number;
    let fit: { option: number; start: number; slot: number };
    if ('modes' in choice) {
      m = choice.modes[u]!;
      fit = fitIn(m, ready);
    } else {
      m = -1;
      fit = { option: -1, start: Infinity, slot: 0 };
      let earliest = { m: -1, fit, finish: Infinity };
      for (let k = t.modeOffsets[u]!; k < t.modeOffsets[u + 1]!; k++) {
        const f = fitIn(k, ready);
        const end = f.start + t.modeDuration[k]!;
        if (end <= choice.subDeadlines[u]!) {
          m = k;
          fit = f;
          break;
        }
        if (end < earliest.finish) earliest = { m: k, fit: f, finish: end };
      }
      if (m < 0) ({ m, fit } = earliest);
    }
    const e = p.optionExecutor[fit.option]!;
    const end = fit.start + t.modeDuration[m]!;
    occupy(timelines[e]!, fit, end);
    option[u] = fit.option;
    executor[u] = e;
    start[u] = fit.start;
    finish[u] = end;
    makespan = Math.max(makespan, end);
    cost += t.modeCost[m]!;
    for (let k = p.succOffsets[u]!; k < p.succOffsets[u + 1]!; k++) {
      const v = p.succIndex[k]!;
      if (--waiting[v]! === 0) heap.push(v);
    }
  }
  return { option, executor, start, finish, makespan, cost };
}
