import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listSchedule } from '../../src/domain/list-scheduler';
import { priorityRules } from '../../src/domain/priorities';
import type { SchedulingProblem, TaskOption } from '../../src/domain/scheduling-problem';
import { buildProblem } from '../../src/domain/scheduling-problem';
import { createTimeline, earliestFit, occupy } from '../../src/domain/timeline';
import { buildCsr } from '../../src/domain/topology';

/**
 * The serial scheme as first written: every option fitted, in index order, the lowest
 * finish + λ·cost kept (ties to the cheaper, then the first), on timelines that never merge.
 * The scheduler skips options whose bound cannot win and merges touching intervals; it must
 * choose exactly as this does.
 */
function referenceSerial(p: SchedulingProblem, primary: Float64Array, secondary: Float64Array | undefined, costWeight: number) {
  const n = p.taskCount;
  const timelines = Array.from(p.executorFreeMs, (free) => createTimeline(free, false));
  const finish = new Float64Array(n);
  const start = new Float64Array(n);
  const option = new Int32Array(n);
  const placed = new Uint8Array(n);
  const before = (a: number, b: number): boolean => primary[a] !== primary[b] ? primary[a]! > primary[b]! : (secondary?.[a] ?? 0) !== (secondary?.[b] ?? 0) ? secondary![a]! > secondary![b]! : a < b;
  for (let count = 0; count < n; count++) {
    let u = -1;
    for (let v = 0; v < n; v++) {
      if (placed[v]) continue;
      let ready = true;
      for (let k = p.predOffsets[v]!; k < p.predOffsets[v + 1]!; k++) if (!placed[p.predIndex[k]!]) ready = false;
      if (ready && (u < 0 || before(v, u))) u = v;
    }
    let ready = p.releaseMs[u]!;
    for (let k = p.predOffsets[u]!; k < p.predOffsets[u + 1]!; k++) ready = Math.max(ready, finish[p.predIndex[k]!]!);
    let best = -1;
    let bestFit = { start: 0, slot: 0 };
    let bestScore = Infinity;
    for (let o = p.optionOffsets[u]!; o < p.optionOffsets[u + 1]!; o++) {
      const fit = earliestFit(timelines[p.optionExecutor[o]!]!, ready, p.optionDuration[o]!, true);
      const score = fit.start + p.optionDuration[o]! + costWeight * p.optionCost[o]!;
      if (score < bestScore || (score === bestScore && p.optionCost[o]! < p.optionCost[best]!)) {
        best = o;
        bestFit = fit;
        bestScore = score;
      }
    }
    occupy(timelines[p.optionExecutor[best]!]!, bestFit, bestFit.start + p.optionDuration[best]!);
    placed[u] = 1;
    option[u] = best;
    start[u] = bestFit.start;
    finish[u] = bestFit.start + p.optionDuration[best]!;
  }
  return { option, start };
}

const goalArb = fc.integer({ min: 1, max: 12 }).chain((n) => fc.record({
  n: fc.constant(n),
  edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 2 * n }),
  // Executors in kinds of equal duration and cost, as the planner's pools are; durations small so ties are common.
  kinds: fc.array(fc.record({ count: fc.integer({ min: 1, max: 3 }), speed: fc.integer({ min: 1, max: 3 }), price: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 3 }),
  work: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
  free: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 9, maxLength: 9 }),
  costWeight: fc.constantFrom(0, 0.5, 1, 3),
}));

describe('serial list scheduling', () => {
  it('chooses what fitting every option would, with and without zero-duration tasks', () => {
    fc.assert(fc.property(goalArb, ({ n, edges, kinds, work, free, costWeight }) => {
      const dag = edges.filter(([a, b]) => a < b);
      const [predOffsets, predIndex] = buildCsr(n, dag.map((e) => e[1]), dag.map((e) => e[0]));
      const [succOffsets, succIndex] = buildCsr(n, dag.map((e) => e[0]), dag.map((e) => e[1]));
      const executorKind = kinds.flatMap((k, i) => Array.from({ length: k.count }, () => i));
      const options: TaskOption[][] = work.map((w) => executorKind.map((k, e) => ({ executor: e, durationMs: w / kinds[k]!.speed, cost: (w / kinds[k]!.speed) * kinds[k]!.price })));
      const p = buildProblem({ predOffsets, predIndex, succOffsets, succIndex }, executorKind.length, options, undefined, Float64Array.from(executorKind, (_, e) => free[e]!));
      for (const rule of priorityRules(p)) {
        const got = listSchedule(p, rule.priority, 'serial', undefined, costWeight);
        const want = referenceSerial(p, rule.priority.primary, rule.priority.secondary, costWeight);
        expect(Array.from(got.option)).toEqual(Array.from(want.option));
        expect(Array.from(got.start)).toEqual(Array.from(want.start));
      }
    }), { numRuns: 300 });
  });
});
