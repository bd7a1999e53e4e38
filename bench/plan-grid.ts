/**
 * Benchmark (not a test): goal.refine under a deadline and a budget together at 1,000 steps on the
 * default pool of twelve executors (speeds 1, 2, 4 priced 1.0, 2.4, 5.8 per second), over a 5 × 5
 * grid of bounds between each goal's fastest and cheapest plans, on a random DAG (about 3
 * dependencies per step, as bench/refine.ts) and on each synthetic workflow shape of the planning
 * grid. Reports the distribution of wall and CPU time per refine (CPU time is what the process
 * itself spent, less disturbed by other load on a shared machine) beside the same-run baseline of
 * an unbounded refine of the same goals.
 * Usage: npm run bench:plan-grid [-- --steps 1000 --grid 5]
 */
import { cpus, loadavg } from 'node:os';
import { refine, type Goal } from '../services/planner/src/domain';
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
const open = { deadlineMs: Infinity, budget: { cost: Infinity, tokens: Infinity }, minTrust: 0 };
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
const quantiles = (xs: number[]): { p50: number; p95: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number): number => Number(s[Math.min(s.length - 1, Math.floor(f * s.length))]!.toFixed(1));
  return { p50: q(0.5), p95: q(0.95), max: Number(s[s.length - 1]!.toFixed(1)) };
};

const goals: { name: string; goal: Goal }[] = [{ name: 'random-dag', goal: randomDag(steps, 7) }, ...SHAPES.map((shape, k) => ({ name: shape, goal: buildShape(shape, steps, 11 + k) }))];
refine(goals[0]!.goal, executors, open); // warm-up: JIT
const perGoal: Record<string, unknown> = {};
const bounded: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
const unbounded: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
for (const { name, goal } of goals) {
  const fastest = timed(() => refine(goal, executors, open));
  if (!fastest.value.ok) throw new Error(`${name}: unbounded refine refused`);
  unbounded.wall.push(fastest.wallMs);
  unbounded.cpu.push(fastest.cpuMs);
  const cheapest = cheapestPlan(problemOf(goal, executors));
  const wall: number[] = [];
  const cpu: number[] = [];
  let planned = 0;
  for (const f of gridFactors(grid)) {
    for (const g of gridFactors(grid)) {
      const deadlineMs = fastest.value.plan.makespanMs + f * (cheapest.makespanMs - fastest.value.plan.makespanMs);
      const cost = cheapest.cost + g * (fastest.value.plan.totalCost - cheapest.cost);
      const run = timed(() => refine(goal, executors, { deadlineMs, budget: { cost, tokens: Infinity }, minTrust: 0 }));
      if (run.value.ok) planned++;
      wall.push(run.wallMs);
      cpu.push(run.cpuMs);
    }
  }
  bounded.wall.push(...wall);
  bounded.cpu.push(...cpu);
  perGoal[name] = { steps: goal.steps.length, planned: `${planned}/${wall.length}`, unboundedWallMs: Number(fastest.wallMs.toFixed(1)), boundedWallMs: quantiles(wall), boundedCpuMs: quantiles(cpu) };
}
console.log(JSON.stringify({
  cpus: cpus().length, loadAverage1m: Number(loadavg()[0]!.toFixed(2)), steps, executors: executors.length, grid: `${grid}x${grid}`,
  boundedRefine: { wallMs: quantiles(bounded.wall), cpuMs: quantiles(bounded.cpu) },
  unboundedRefineBaseline: { wallMs: quantiles(unbounded.wall), cpuMs: quantiles(unbounded.cpu) },
  perGoal,
}, null, 2));
