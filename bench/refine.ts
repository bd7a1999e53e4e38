/**
 * Benchmark (not a test): goal.refine's pure core — analysis (cycles, topological order, slack,
 * critical path) and the budget-aware list scheduler — on random DAGs of 1,000 and 10,000 steps with
 * about 3 dependencies per step onto 20 heterogeneous executors, beside a baseline in the same run:
 * Kahn's topological sort of the same graph, the least any planner must do.
 *
 * Also `allocate` at the supported maxima (docs/protocol.md): 256 executors asking for one step
 * each from a 1,000-step plan of independent steps, served in one transition (dispatchMany, what the
 * dispatcher does) beside the baseline of one dispatchNext per executor (what it did: 4.9 s per
 * call through the stack).
 * Usage: npm run bench:refine [-- --repeats 5]
 */
import { cpus, loadavg } from 'node:os';
import { refine, type Charter, type Executor, type Goal } from '../services/planner/src/domain';
import { dispatchMany, dispatchNext, startExecution, type DispatchRequest, type ExecutionState } from '../services/dispatcher/src/domain';
import { seededRandom } from '../test/support/seeded-random';

const repeatsArg = process.argv.indexOf('--repeats');
const repeats = repeatsArg >= 0 ? Number(process.argv[repeatsArg + 1]) : 5;

function randomGoal(steps: number, seed: number): Goal {
  const rand = seededRandom(seed);
  const ids = Array.from({ length: steps }, (_, i) => `s${i}`);
  const dependencies: { from: string; to: string }[] = [];
  for (let i = 1; i < steps; i++) {
    const deps = new Set<number>();
    for (let k = 0; k < 3; k++) deps.add(Math.max(0, i - 1 - Math.floor(rand() * Math.min(i, 50))));
    for (const d of deps) dependencies.push({ from: ids[d]!, to: ids[i]! });
  }
  return {
    steps: ids.map((id) => ({ id, name: id, durationMs: 100 + Math.floor(rand() * 900), cost: 1, requirements: { capabilities: rand() < 0.2 ? ['gpu'] : [], minTrust: 0.5 } })),
    dependencies,
  };
}

const executors: Executor[] = Array.from({ length: 20 }, (_, i) => ({
  id: `e${i}`, speed: 0.5 + (i % 5) * 0.5, costPerMs: 0.001 * (1 + (i % 5)), trust: 0.6 + (i % 4) * 0.1, capabilities: i % 3 === 0 ? ['gpu'] : [],
}));
const charter: Charter = { deadlineMs: 1e12, budget: { cost: 1e12, tokens: 1e12 }, minTrust: 0.5 };

function kahn(goal: Goal): number {
  const index = new Map(goal.steps.map((s, i) => [s.id, i]));
  const indegree = new Int32Array(goal.steps.length);
  const succ: number[][] = goal.steps.map(() => []);
  for (const d of goal.dependencies) {
    succ[index.get(d.from)!]!.push(index.get(d.to)!);
    indegree[index.get(d.to)!]!++;
  }
  const queue = [...indegree.keys()].filter((i) => indegree[i] === 0);
  let seen = 0;
  while (queue.length) {
    const n = queue.pop()!;
    seen++;
    for (const m of succ[n]!) if (--indegree[m]! === 0) queue.push(m);
  }
  return seen;
}

function timeMs(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, unknown> = { cpus: cpus().length, loadAverage1m: Number(loadavg()[0]!.toFixed(2)), repeats };
for (const steps of [1_000, 10_000]) {
  const goal = randomGoal(steps, steps);
  refine(goal, executors, charter); // warm-up: JIT and caches
  kahn(goal);
  const refineMs = Array.from({ length: repeats }, () => timeMs(() => {
    const outcome = refine(goal, executors, charter);
    if (!outcome.ok) throw new Error(`refine refused: ${outcome.refusal.code}`);
  }));
  const baselineMs = Array.from({ length: repeats }, () => timeMs(() => kahn(goal)));
  results[`steps${steps}`] = {
    dependencies: goal.dependencies.length,
    refineMedianMs: Number(median(refineMs).toFixed(1)),
    topologicalSortMedianMs: Number(median(baselineMs).toFixed(2)),
    ratio: Number((median(refineMs) / median(baselineMs)).toFixed(0)),
  };
}
{
  const wide: Executor[] = Array.from({ length: 256 }, (_, i) => ({ id: `w${i}`, speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: [] }));
  const goal: Goal = { steps: Array.from({ length: 1_000 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, durationMs: 1_000, cost: 1, requirements: { capabilities: [], minTrust: 0.5 } })), dependencies: [] };
  const outcome = refine(goal, wide, charter);
  if (!outcome.ok) throw new Error(`refine refused: ${outcome.refusal.code}`);
  const start = startExecution({ planId: 'p', goal, plan: outcome.plan, charter, startedAtMs: 0 });
  if (!start.ok) throw new Error(`start refused: ${start.refusal.code}`);
  const requests: DispatchRequest[] = wide.map((e) => ({ executorId: e.id, executorCapabilities: e.capabilities, executorTrust: e.trust, maxOrders: 1 }));
  const oneByOne = () => requests.reduce<ExecutionState>((state, r) => dispatchNext(state, r, charter, 1).state, start.state);
  const together = () => dispatchMany(start.state, requests, charter, 1);
  oneByOne();
  together();
  const baselineMs = Array.from({ length: repeats }, () => timeMs(oneByOne));
  const batchMs = Array.from({ length: repeats }, () => timeMs(together));
  results.allocate256x1000 = {
    dispatchManyMedianMs: Number(median(batchMs).toFixed(1)),
    dispatchNextPerExecutorMedianMs: Number(median(baselineMs).toFixed(1)),
    ratio: Number((median(batchMs) / median(baselineMs)).toFixed(3)),
  };
}
console.log(JSON.stringify(results, null, 2));
