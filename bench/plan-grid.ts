/**
 * Benchmark (not a test): goal.refine under a deadline and a budget together at 1,000 steps on the
 * default pool of twelve executors (speeds 1, 2, 4 priced 1.0, 2.4, 5.8 per second), over a 5 × 5
 * grid of bounds between each goal's fastest and cheapest plans, on a random DAG (about 3
 * dependencies per step, as bench/refine.ts) and on each synthetic workflow shape of the planning
 * grid: 150 bounded refines per repeat.
 *
 * The machine this runs on is shared, so every bounded refine is timed right after an unbounded
 * refine of the same goal (the same-run baseline: the fastest search alone, what goal.refine does
 * without bounds), and both distributions are reported from the same samples, with the load
 * average before and after. CPU time is what this process spent (less disturbed by other load
 * than wall time); wall time is what a caller waits.
 * Usage: npm run bench:plan-grid [-- --steps 1000 --grid 5 --repeats 3]
 */
import { cpus, loadavg } from 'node:os';
import { refine, type Charter, type Goal } from '../services/planner/src/domain';
import { cheapestPlan, gridFactors, problemOf } from '../scripts/plan-grid/grid';
import { DEFAULT_POOL, parsePool } from '../scripts/plan-grid/pools';
import { SHAPES, buildShape } from '../scripts/plan-grid/shapes';
import { seededRandom } from '../test/support/seeded-random';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const steps = arg('--steps', 1_000);
const grid = arg('--grid', 5);
const repeats = arg('--repeats', 3);

function randomDag(n: number, seed: number): Goal {
  const rand = seededRandom(seed);
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const dependencies: { from: string; to: string }[] = [];
  for (let i = 1; i < n; i++) {
    const deps = new Set<number>();
    for (let k = 0; k < 3; k++) deps.add(Math.max(0, i - 1 - Math.floor(rand() * Math.min(i, 50))));
    for (const d of deps) dependencies.push({ from: ids[d]!, to: ids[i]! });
  }
  return { steps: ids.map((id) => ({ id, name: id, durationMs: 1_000 + Math.floor(rand() * 59_000), cost: 0, requirements: { capabilities: [], minTrust: 0 } })), dependencies };
}

const executors = parsePool(DEFAULT_POOL, false);
if (typeof executors === 'string') throw new Error(executors);
const open: Charter = { deadlineMs: Infinity, budget: { cost: Infinity, tokens: Infinity }, minTrust: 0 };
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1_000;
};
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const w = performance.now();
  const c = cpuMs();
  const value = fn();
  return { value, wallMs: performance.now() - w, cpuMs: cpuMs() - c };
}
const quantiles = (xs: readonly number[]): { n: number; p50: number; p95: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number): number => Number(s[Math.min(s.length - 1, Math.floor(f * s.length))]!.toFixed(1));
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: Number(s[s.length - 1]!.toFixed(1)) };
};
const ratio = (a: number, b: number): number => Number((a / b).toFixed(2));

interface Sample { readonly goal: string; readonly outcome: string; readonly wallMs: number; readonly cpuMs: number; readonly baseWallMs: number; readonly baseCpuMs: number }

const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
const goals: { name: string; goal: Goal }[] = [{ name: 'random-dag', goal: randomDag(steps, 7) }, ...SHAPES.map((shape, k) => ({ name: shape, goal: buildShape(shape, steps, 11 + k) }))];
const cells: { name: string; goal: Goal; charter: Charter }[] = [];
for (const { name, goal } of goals) {
  const fastest = refine(goal, executors, open);
  if (!fastest.ok) throw new Error(`${name}: unbounded refine refused`);
  const cheapest = cheapestPlan(problemOf(goal, executors));
  for (const f of gridFactors(grid)) {
    for (const g of gridFactors(grid)) {
      const deadlineMs = fastest.plan.makespanMs + f * (cheapest.makespanMs - fastest.plan.makespanMs);
      const cost = cheapest.cost + g * (fastest.plan.totalCost - cheapest.cost);
      cells.push({ name, goal, charter: { deadlineMs, budget: { cost, tokens: Infinity }, minTrust: 0 } });
    }
  }
}
for (const c of cells) refine(c.goal, executors, c.charter); // warm-up: JIT

const samples: Sample[] = [];
for (let r = 0; r < repeats; r++) {
  for (const c of cells) {
    const base = timed(() => refine(c.goal, executors, open));
    const run = timed(() => refine(c.goal, executors, c.charter));
    const proof = run.value.ok ? null : (run.value.refusal.details as Record<string, unknown>).proven;
    const outcome = run.value.ok ? 'planned' : `refused: ${run.value.refusal.code}${typeof proof === 'string' ? `, proven ${proof}` : ''}`;
    samples.push({ goal: c.name, outcome, wallMs: run.wallMs, cpuMs: run.cpuMs, baseWallMs: base.wallMs, baseCpuMs: base.cpuMs });
  }
}

const summary = (xs: readonly Sample[]) => {
  const bounded = { wallMs: quantiles(xs.map((s) => s.wallMs)), cpuMs: quantiles(xs.map((s) => s.cpuMs)) };
  const unbounded = { wallMs: quantiles(xs.map((s) => s.baseWallMs)), cpuMs: quantiles(xs.map((s) => s.baseCpuMs)) };
  return {
    bounded, unboundedSameRun: unbounded,
    cpuRatioBoundedToUnbounded: { p50: ratio(bounded.cpuMs.p50, unbounded.cpuMs.p50), p95: ratio(bounded.cpuMs.p95, unbounded.cpuMs.p95) },
  };
};
const byKey = (key: (s: Sample) => string): Record<string, unknown> => {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  return Object.fromEntries([...groups].map(([k, xs]) => [k, { cells: xs.length / repeats, boundedCpuMs: quantiles(xs.map((s) => s.cpuMs)), boundedWallMs: quantiles(xs.map((s) => s.wallMs)), unboundedCpuMs: quantiles(xs.map((s) => s.baseCpuMs)) }]));
};
console.log(JSON.stringify({
  cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((x) => Number(x.toFixed(2))),
  steps, executors: executors.length, grid: `${grid}x${grid}`, repeats, boundedRefines: samples.length,
  planned: `${samples.filter((s) => s.outcome === 'planned').length / repeats}/${cells.length}`,
  all: summary(samples),
  byOutcome: byKey((s) => s.outcome),
  byGoal: byKey((s) => s.goal),
}, null, 2));
