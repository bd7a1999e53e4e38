import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costLowerBound } from '../../src/domain/cost-bound';
import { exactWithinBounds } from '../../src/domain/exact-plan';
import type { TaskOption } from '../../src/domain/scheduling-problem';
import { buildProblem } from '../../src/domain/scheduling-problem';
import { buildCsr, topologicalOrder } from '../../src/domain/topology';

function problem(n: number, edges: [number, number][], executors: number, options: TaskOption[][], release?: number[], free?: number[]) {
  const [predOffsets, predIndex] = buildCsr(n, edges.map((e) => e[1]), edges.map((e) => e[0]));
  const [succOffsets, succIndex] = buildCsr(n, edges.map((e) => e[0]), edges.map((e) => e[1]));
  return buildProblem({ predOffsets, predIndex, succOffsets, succIndex }, executors, options, release && Float64Array.from(release), free && Float64Array.from(free));
}

// Executor 0 fast and dear (speed 2, 1 per ms), executor 1 slow and free: groups 0 and 1.
const twoKinds = (work: number): TaskOption[] => [{ executor: 0, durationMs: work / 2, cost: work / 2 }, { executor: 1, durationMs: work, cost: 0 }];
const TWO_GROUPS = Int32Array.from([0, 1]);
const bound = (p: ReturnType<typeof problem>, deadline: number, group = TWO_GROUPS, allowed?: Uint8Array) =>
  costLowerBound(p, deadline, { order: topologicalOrder(p)!, group, allowed, target: Infinity, iterations: 200 });

describe('costLowerBound', () => {
  it('on a chain, prices the steps the deadline forces onto the fast executor', () => {
    const chain = problem(2, [[0, 1]], 2, [twoKinds(100), twoKinds(100)]);
    // 149 ms: neither step can go slow (100 + 50 > 149), so both fast, 100. 150 ms: one may go slow.
    expect(bound(chain, 149)).toBeCloseTo(100, 6);
    expect(bound(chain, 150)).toBeLessThanOrEqual(50 + 1e-9);
    // No time at all: nothing fits. No deadline: every step on its cheapest executor.
    expect(bound(chain, 99)).toBe(Infinity);
    expect(bound(chain, Infinity)).toBe(0);
    expect(bound(chain, Infinity, TWO_GROUPS, Uint8Array.from([1, 0]))).toBe(100);
  });

  it('counts an executor group’s capacity: two parallel steps cannot both take the free executor by 100 ms', () => {
    const pair = problem(2, [], 2, [twoKinds(100), twoKinds(100)]);
    // One slow (100 ms, free) and one fast (50 ms, 50) is the cheapest within 100 ms; the
    // subgradient steps approach that from below.
    expect(bound(pair, 100)).toBeGreaterThan(45);
    expect(bound(pair, 100)).toBeLessThanOrEqual(50 + 1e-9);
    expect(bound(pair, 200)).toBeCloseTo(0, 9);
  });

  it('starts an executor’s capacity when it is free and a step no earlier than its release', () => {
    const pair = problem(2, [], 2, [twoKinds(100), twoKinds(100)], [0, 0], [0, 60]);
    // The slow executor is busy until 60: a slow step (100 ms) ends at 160 at the earliest.
    expect(bound(pair, 159)).toBeCloseTo(100, 6);
    expect(bound(pair, 160)).toBeGreaterThan(45);
    expect(bound(pair, 160)).toBeLessThanOrEqual(50 + 1e-9);
    const late = problem(1, [], 2, [twoKinds(100)], [60]);
    // Released at 60, only the fast executor finishes by 110.
    expect(bound(late, 110)).toBeCloseTo(50, 6);
  });

  it('on a pool, uses only the pool’s executors', () => {
    const one = problem(1, [], 2, [twoKinds(100)]);
    expect(bound(one, 100, TWO_GROUPS, Uint8Array.from([1, 0]))).toBeCloseTo(50, 6);
    expect(bound(one, 49, TWO_GROUPS, Uint8Array.from([1, 0]))).toBe(Infinity);
  });

  it('stops once past its target', () => {
    const chain = problem(2, [[0, 1]], 2, [twoKinds(100), twoKinds(100)]);
    const b = costLowerBound(chain, 149, { order: topologicalOrder(chain)!, group: TWO_GROUPS, target: 10 });
    expect(b).toBeGreaterThan(10);
  });
});

/** Small random problems with releases, busy executors and kinds of two or three executors. */
const instance = fc.record({
  works: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
  fixed: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
  edgeBits: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
  releases: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }),
  kinds: fc.array(fc.record({ count: fc.integer({ min: 1, max: 2 }), speed: fc.constantFrom(1, 2, 4), price: fc.constantFrom(0, 0.1, 0.3, 1), busy: fc.integer({ min: 0, max: 15 }) }), { minLength: 1, maxLength: 3 }),
  poolBits: fc.integer({ min: 0, max: 7 }),
  deadlineFactor: fc.double({ min: 0.3, max: 1.5, noNaN: true }),
});

describe('costLowerBound against the exact search', () => {
  it('never exceeds the cost of a schedule that meets the deadline', () => {
    fc.assert(fc.property(instance, (x) => {
      const n = x.works.length;
      const executorKind = x.kinds.flatMap((k, ki) => Array.from({ length: k.count }, () => ki));
      const options = x.works.map((w, u) => executorKind.map((ki, e) => ({ executor: e, durationMs: w / x.kinds[ki]!.speed, cost: x.fixed[u]! + (x.kinds[ki]!.price * w) / x.kinds[ki]!.speed })));
      const edges: [number, number][] = [];
      let bit = 0;
      for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) if (x.edgeBits[bit++ % 10]) edges.push([i, j]);
      const free = executorKind.map((ki) => x.kinds[ki]!.busy);
      const p = problem(n, edges, executorKind.length, options, x.releases.slice(0, n), free);
      const allowed = Uint8Array.from(executorKind, (ki) => (x.poolBits === 0 || x.poolBits & (1 << ki) ? 1 : 0));
      const restricted = problem(n, edges, executorKind.length, options.map((os) => os.filter((o) => allowed[o.executor])), x.releases.slice(0, n), free);
      if (restricted.optionOffsets.some((o, u) => u < n && restricted.optionOffsets[u + 1] === o)) return;
      const serial = x.works.reduce((a, w) => a + w, 0) + 40;
      const deadline = x.deadlineFactor * serial;
      const b = bound(p, deadline, Int32Array.from(executorKind), allowed);
      // Whatever schedule the exact search finds within the deadline, it costs at least the bound.
      const cheapestAllowed = exactWithinBounds(restricted, deadline, b * (1 - 1e-6) - 1e-6);
      expect(cheapestAllowed.status).not.toBe('feasible');
    }), { numRuns: 300, seed: 29 });
  }, 60_000);
});
