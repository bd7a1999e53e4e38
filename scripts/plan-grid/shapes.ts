/**
 * Seeded synthetic workflow shapes for the planning grid, after the structures of the scientific
 * workflows deadline–budget papers measure on (Montage's fan-in, Epigenomics' parallel pipelines,
 * CyberShake's wide fan, MapReduce stages): fork-join, pipelines, map-reduce, deep chains and wide
 * fans. Work per step is in milliseconds on an executor of speed 1, drawn from a heavy-tailed
 * spread (most steps short, a few long), as in the traces.
 */
import type { Dependency, Goal, Step } from '../../services/planner/src/domain';
import { seededRandom } from '../../test/support/seeded-random';

/** A named synthetic goal. */
export interface NamedGoal {
  readonly name: string;
  readonly goal: Goal;
}

/** The shapes the grid knows. */
export const SHAPES = ['fork-join', 'pipeline', 'map-reduce', 'deep-chain', 'wide-fan'] as const;

/** One of the shapes. */
export type Shape = (typeof SHAPES)[number];

class Builder {
  readonly steps: Step[] = [];
  readonly dependencies: Dependency[] = [];
  constructor(private readonly rand: () => number) {}

  /** Adds a step with work between 1 s and 60 s (squared uniform: mostly short), returns its id. */
  add(after: readonly string[] = []): string {
    const id = `t${this.steps.length}`;
    const r = this.rand();
    this.steps.push({ id, name: id, durationMs: Math.round(1_000 + r * r * 59_000), cost: 0, requirements: { capabilities: [], minTrust: 0 } });
    for (const from of after) this.dependencies.push({ from, to: id });
    return id;
  }

  goal(): Goal {
    return { steps: this.steps, dependencies: this.dependencies };
  }
}

/**
 * Builds a shape with roughly `size` steps (at least 3), seeded. Sizes are approximate because
 * each shape has its own structure (a fork-join of width w and s stages has s·(w + 1) + 1 steps).
 */
export function buildShape(shape: Shape, size: number, seed: number): Goal {
  const rand = seededRandom(seed);
  const b = new Builder(rand);
  const n = Math.max(3, size);
  const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  switch (shape) {
    case 'fork-join': {
      const width = Math.max(2, Math.round(Math.sqrt(n) * (0.7 + rand() * 0.6)));
      let join = b.add();
      for (let placed = 1; placed + width + 1 <= n || placed === 1;) {
        const branch = Array.from({ length: width }, () => b.add([join]));
        join = b.add(branch);
        placed += width + 1;
      }
      break;
    }
    case 'pipeline': {
      const lanes = Math.max(2, Math.round(Math.sqrt(n / 2)));
      const length = Math.max(1, Math.floor((n - 2) / lanes));
      const source = b.add();
      const ends = Array.from({ length: lanes }, () => {
        let last = source;
        for (let k = 0; k < length; k++) last = b.add([last]);
        return last;
      });
      b.add(ends);
      break;
    }
    case 'map-reduce': {
      const reducers = Math.max(1, Math.round(n / 8));
      const mappers = Math.max(2, n - reducers - 2);
      const split = b.add();
      const maps = Array.from({ length: mappers }, () => b.add([split]));
      // Each reducer reads a random half of the mappers' partitions (a shuffle without all-to-all).
      const reduces = Array.from({ length: reducers }, () => b.add(maps.filter(() => rand() < 0.5).concat(maps[between(0, mappers - 1)]!)));
      b.add(reduces);
      break;
    }
    case 'deep-chain': {
      let last = b.add();
      while (b.steps.length < n) {
        // Every few links a short side branch leaves the chain and rejoins it two links later.
        if (rand() < 0.25 && b.steps.length + 3 <= n) {
          const side = b.add([last]);
          const next = b.add([last]);
          last = b.add([next, side]);
        } else {
          last = b.add([last]);
        }
      }
      break;
    }
    case 'wide-fan': {
      const source = b.add();
      const fan = Array.from({ length: n - 2 }, () => b.add([source]));
      b.add(fan);
      break;
    }
  }
  return b.goal();
}

/** The default synthetic set: every shape at each size, one seed per (shape, size). */
export function syntheticSet(sizes: readonly number[], seed: number): NamedGoal[] {
  const out: NamedGoal[] = [];
  SHAPES.forEach((shape, s) => sizes.forEach((size, k) => {
    out.push({ name: `${shape}-${size}`, goal: buildShape(shape, size, seed * 1_000 + s * 100 + k) });
  }));
  return out;
}
