/** Goal builders and a seeded random DAG generator shared by the planner's domain tests. */
import type { Charter, Dependency, Executor, Goal, Step } from '../../src/domain/graph';
import { seededRandom } from '../../../../test/support/seeded-random';

/** A step with no requirements beyond the given capabilities and trust. */
export function step(id: string, durationMs: number, extra: Partial<Step> = {}): Step {
  return { id, name: id, durationMs, cost: 0, requirements: { capabilities: [], minTrust: 0 }, ...extra };
}

/** Edges from `a->b` strings. */
export function edges(...specs: string[]): Dependency[] {
  return specs.map((s) => {
    const [from, to] = s.split('->');
    return { from: from!, to: to! };
  });
}

/** An executor with unit speed, no cost, full trust and no capabilities unless given. */
export function executor(id: string, extra: Partial<Executor> = {}): Executor {
  return { id, speed: 1, costPerMs: 0, trust: 1, capabilities: [], ...extra };
}

/** A charter that allows everything. */
export const OPEN_CHARTER: Charter = { deadlineMs: Infinity, budget: { cost: Infinity, tokens: Infinity }, minTrust: 0 };

/**
 * A random DAG: each step depends on up to `deps` earlier steps chosen from a window behind it
 * (windowed so that graphs have long paths and parallelism, like real plans).
 */
export function randomGoal(n: number, deps: number, seed: number, capabilities: readonly string[] = []): Goal {
  const next = seededRandom(seed);
  const steps: Step[] = [];
  const dependencies: Dependency[] = [];
  for (let i = 0; i < n; i++) {
    const caps = capabilities.filter(() => next() < 0.2);
    steps.push(step(`s${i}`, 1 + Math.floor(next() * 100), { cost: Math.floor(next() * 10), requirements: { capabilities: caps, minTrust: next() * 0.5 } }));
    const seen = new Set<number>();
    for (let k = 0; k < deps && i > 0; k++) {
      const j = Math.max(0, i - 1 - Math.floor(next() * Math.min(i, 200)));
      if (!seen.has(j)) dependencies.push({ from: `s${j}`, to: `s${i}` });
      seen.add(j);
    }
  }
  return { steps, dependencies };
}

/** A heterogeneous pool: speeds 0.5–2, cost rising with speed, trust 0.5–1. */
export function randomExecutors(m: number, seed: number, capabilities: readonly string[] = []): Executor[] {
  const next = seededRandom(seed);
  return Array.from({ length: m }, (_, i) => {
    const speed = 0.5 + next() * 1.5;
    return executor(`e${i}`, { speed, costPerMs: speed * speed * 0.01, trust: 0.5 + next() * 0.5, capabilities: i === 0 ? [...capabilities] : capabilities.filter(() => next() < 0.5) });
  });
}
