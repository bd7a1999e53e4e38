import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactWithinBounds } from '../../src/domain/exact-plan';
import type { TaskOption } from '../../src/domain/scheduling-problem';
import { buildProblem } from '../../src/domain/scheduling-problem';
import { buildCsr } from '../../src/domain/topology';
import { verifySchedule } from '../../src/domain/verify';

/** A problem from edges and, per task, options (executor, duration, cost). */
function problem(n: number, edges: [number, number][], executors: number, options: TaskOption[][]) {
  const [predOffsets, predIndex] = buildCsr(n, edges.map((e) => e[1]), edges.map((e) => e[0]));
  const [succOffsets, succIndex] = buildCsr(n, edges.map((e) => e[0]), edges.map((e) => e[1]));
  return buildProblem({ predOffsets, predIndex, succOffsets, succIndex }, executors, options);
}

// Executor 0 is fast and dear (speed 2, 1 per ms), executor 1 slow and free.
const twoKinds = (work: number): TaskOption[] => [{ executor: 0, durationMs: work / 2, cost: work / 2 }, { executor: 1, durationMs: work, cost: 0 }];
const CHAIN = problem(2, [[0, 1]], 2, [twoKinds(100), twoKinds(100)]);

describe('exactWithinBounds', () => {
  it('finds the mixed plan neither pure choice reaches, and it is a valid schedule within both bounds', () => {
    // All fast: 100 ms for 100; all slow: 200 ms for 0; one of each: 150 ms for 50.
    const out = exactWithinBounds(CHAIN, 150, 50);
    expect(out.status).toBe('feasible');
    if (out.status !== 'feasible') return;
    expect(out.schedule.makespan).toBe(150);
    expect(out.schedule.cost).toBe(50);
    const durations = Array.from(out.schedule.option, (o) => CHAIN.optionDuration[o]!);
    expect(verifySchedule(CHAIN, durations, out.schedule, 2)).toEqual([]);
  });

  it.each([
    { deadline: 149, budget: 50 },
    { deadline: 150, budget: 49 },
    { deadline: 99, budget: Infinity },
  ])('proves that nothing fits deadline $deadline and budget $budget', ({ deadline, budget }) => {
    expect(exactWithinBounds(CHAIN, deadline, budget).status).toBe('infeasible');
  });

  it('sequences work on one executor class: two parallel tasks on one executor take both durations', () => {
    const p = problem(2, [], 1, [[{ executor: 0, durationMs: 10, cost: 1 }], [{ executor: 0, durationMs: 10, cost: 1 }]]);
    expect(exactWithinBounds(p, 19, 2).status).toBe('infeasible');
    expect(exactWithinBounds(p, 20, 2).status).toBe('feasible');
  });

  it('treats identical executors as one class with capacity, and still uses each of them', () => {
    const options: TaskOption[][] = Array.from({ length: 3 }, () => [0, 1, 2].map((executor) => ({ executor, durationMs: 10, cost: 1 })));
    const out = exactWithinBounds(problem(3, [], 3, options), 10, 3);
    expect(out.status).toBe('feasible');
    if (out.status === 'feasible') expect(new Set(out.schedule.executor).size).toBe(3);
  });

  it('gives up with unknown past its node limit instead of answering wrongly', () => {
    const options = Array.from({ length: 8 }, (_, i) => twoKinds(10 + i));
    const p = problem(8, [], 2, options);
    expect(exactWithinBounds(p, 1, Infinity, { maxNodes: 0 }).status).toBe('unknown');
  });
});

/**
 * Brute force for tiny problems, sharing no code with the search: every executor for every task and
 * every precedence-respecting order, each task placed at the earliest gap on its executor. These
 * schedules include an optimal one for every assignment (the active schedules), so the set of
 * (makespan, cost) pairs decides feasibility.
 */
function bruteForceFeasible(n: number, edges: [number, number][], options: TaskOption[][], deadline: number, budget: number): boolean {
  const preds = Array.from({ length: n }, (_, i) => edges.filter((e) => e[1] === i).map((e) => e[0]));
  const orders: number[][] = [];
  const extend = (prefix: number[]): void => {
    if (prefix.length === n) orders.push(prefix);
    for (let u = 0; u < n; u++) if (!prefix.includes(u) && preds[u]!.every((q) => prefix.includes(q))) extend([...prefix, u]);
  };
  extend([]);
  const choose = (u: number, picked: TaskOption[]): boolean => {
    if (u < n) return options[u]!.some((o) => choose(u + 1, [...picked, o]));
    if (picked.reduce((c, o) => c + o.cost, 0) > budget + 1e-9) return false;
    return orders.some((order) => {
      const finish = new Array<number>(n).fill(0);
      const busy = new Map<number, [number, number][]>();
      for (const u2 of order) {
        const o = picked[u2]!;
        let start = Math.max(0, ...preds[u2]!.map((q) => finish[q]!));
        const intervals = (busy.get(o.executor) ?? []).sort((a, b) => a[0] - b[0]);
        for (const [s, f] of intervals) if (start + o.durationMs > s && start < f) start = f;
        busy.set(o.executor, [...intervals, [start, start + o.durationMs]]);
        finish[u2] = start + o.durationMs;
      }
      return Math.max(...finish) <= deadline + 1e-9;
    });
  };
  return choose(0, []);
}

describe('exactWithinBounds against brute force', () => {
  it('agrees on every tiny random problem', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      fc.array(fc.array(fc.record({ durationMs: fc.integer({ min: 1, max: 9 }), cost: fc.integer({ min: 0, max: 9 }) }), { minLength: 3, maxLength: 3 }), { minLength: 4, maxLength: 4 }),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 30 }),
      (n, edgeBits, table, allowed, deadline, budget) => {
        const edgeList: [number, number][] = [];
        let bit = 0;
        for (let j = 1; j < 4; j++) for (let i = 0; i < j; i++) if (edgeBits[bit++] && j < n) edgeList.push([i, j]);
        // Each task may use a non-empty subset of three executors with its own duration and cost on each.
        const options = Array.from({ length: n }, (_, u) => {
          const own = table[u]!.map((o, executor) => ({ executor, ...o })).filter((_, e) => allowed[u * 3 + e]);
          return own.length > 0 ? own : [{ executor: 0, ...table[u]![0]! }];
        });
        const exact = exactWithinBounds(problem(n, edgeList, 3, options), deadline, budget);
        expect(exact.status).toBe(bruteForceFeasible(n, edgeList, options, deadline, budget) ? 'feasible' : 'infeasible');
      },
    ), { numRuns: 300, seed: 7 });
  }, 30_000);
});
