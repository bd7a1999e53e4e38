/**
 * Executor pools for the planning grid: a pool is written `count x speed @ price-per-second`,
 * comma-separated, e.g. the default `4x1@1.0,4x2@2.4,4x4@5.8` (twelve executors of speeds 1, 2
 * and 4 whose price grows faster than their speed, as in the deadline–budget literature).
 * The trust variant gives the members of each class mixed trust and the steps varied floors.
 */
import type { Executor, Goal } from '../../services/planner/src/domain';
import { seededRandom } from '../../test/support/seeded-random';

/** The default pool: four executors of each of speeds 1, 2, 4 priced 1.0, 2.4, 5.8 per second. */
export const DEFAULT_POOL = '4x1@1.0,4x2@2.4,4x4@5.8';

/** Trust of the k-th member of each class in the trust variant (cycled). */
export const MEMBER_TRUST = [0.95, 0.8, 0.6, 0.4] as const;

/** A step's trust floor in the trust variant and how often it is drawn. */
export const STEP_TRUST_FLOORS = [{ floor: 0, weight: 0.4 }, { floor: 0.5, weight: 0.3 }, { floor: 0.7, weight: 0.2 }, { floor: 0.9, weight: 0.1 }] as const;

/** Parses a pool spec; returns an error message instead of throwing. */
export function parsePool(spec: string, mixedTrust: boolean): Executor[] | string {
  const executors: Executor[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*x\s*([0-9.]+)\s*@\s*([0-9.]+)\s*$/.exec(part);
    if (!m) return `pool part '${part}' is not count x speed @ price-per-second`;
    const [count, speed, price] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!(count >= 1 && speed > 0 && price >= 0)) return `pool part '${part}' needs count >= 1, speed > 0, price >= 0`;
    for (let k = 0; k < count; k++) {
      executors.push({
        id: `s${speed}p${price}-${k}`, speed, costPerMs: price / 1_000,
        trust: mixedTrust ? MEMBER_TRUST[k % MEMBER_TRUST.length]! : 1, capabilities: [],
      });
    }
  }
  return executors;
}

/** Executors grouped into classes of equal speed and price (trust may differ within a class). */
export function executorClasses(executors: readonly Executor[]): Executor[][] {
  const byKey = new Map<string, Executor[]>();
  for (const e of executors) {
    const key = `${e.speed}@${e.costPerMs}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  return [...byKey.values()];
}

/**
 * The portfolio's fixed pools: every non-empty proper subset of the classes when there are at most
 * three (six pools for the default); with more classes, each class alone and each run of classes
 * adjacent in price. With one class, the pool itself. The full pool is left out on purpose: its
 * fastest plan is the grid's fastest corner, which no cell's budget affords.
 */
export function portfolioPools(executors: readonly Executor[]): string[][] {
  const classes = executorClasses(executors).sort((a, b) => a[0]!.costPerMs / a[0]!.speed - b[0]!.costPerMs / b[0]!.speed);
  const k = classes.length;
  if (k === 1) return [classes[0]!.map((e) => e.id)];
  const subsets: number[][] = [];
  if (k <= 3) {
    for (let mask = 1; mask < (1 << k) - 1; mask++) subsets.push(classes.map((_, i) => i).filter((i) => mask & (1 << i)));
  } else {
    for (let lo = 0; lo < k; lo++) for (let hi = lo; hi < k; hi++) if (hi - lo < k - 1) subsets.push(Array.from({ length: hi - lo + 1 }, (_, j) => lo + j));
  }
  return subsets.map((ids) => ids.flatMap((i) => classes[i]!.map((e) => e.id)));
}

/** The same goal with each step's trust floor drawn from STEP_TRUST_FLOORS, seeded. */
export function withTrustFloors(goal: Goal, seed: number): Goal {
  const rand = seededRandom(seed);
  const draw = (): number => {
    let r = rand();
    for (const f of STEP_TRUST_FLOORS) {
      if (r < f.weight) return f.floor;
      r -= f.weight;
    }
    return 0;
  };
  return { ...goal, steps: goal.steps.map((s) => ({ ...s, requirements: { ...s.requirements, minTrust: draw() } })) };
}
