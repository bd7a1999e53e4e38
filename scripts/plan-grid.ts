/**
 * Planning-grid command (an edge: it reads files and writes to stdout/stderr).
 *
 *   npm run -s plan-grid -- <stgDir> [--grid 5] [--pool 4x1@1.0,4x2@2.4,4x4@5.8] [--trust]
 *     [--sizes 30,100,300] [--small 2] [--seed 1] [--no-stg] [--no-synthetic] [--exact-max-steps 8]
 *     [--exact-max-nodes 500000] [--graphs]
 *
 * For every STG graph under the folder (task times read as seconds) and a seeded set of synthetic
 * workflow shapes (fork-join, pipeline, map-reduce, deep chain, wide fan, each at every size, plus
 * `--small` tiny ones of each shape for the exact search), places a grid of deadlines × budgets
 * between the graph's fastest and cheapest plans (factors 0.1 … 0.9), refines in every cell as
 * `goal.refine` does, and compares with the reference planners. `--trust` repeats it with executors
 * of mixed trust and steps whose trust floor varies. Prints a table per group; exit 1 when a plan
 * broke a bound or a schedule failed verification, or a refusal was contradicted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Goal } from '../services/planner/src/domain';
import { parseStg } from '../services/planner/src/domain';
import type { GraphResult } from './plan-grid/grid';
import { runGrid } from './plan-grid/grid';
import { DEFAULT_POOL, parsePool, withTrustFloors } from './plan-grid/pools';
import type { NamedGoal } from './plan-grid/shapes';
import { SHAPES, buildShape, syntheticSet } from './plan-grid/shapes';

interface Args {
  dir: string | null; grid: number; pool: string; trust: boolean; sizes: number[]; small: number; seed: number;
  stg: boolean; synthetic: boolean; exactMaxSteps: number; exactMaxNodes: number; graphs: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { dir: null, grid: 5, pool: DEFAULT_POOL, trust: false, sizes: [30, 100, 300], small: 2, seed: 1, stg: true, synthetic: true, exactMaxSteps: 8, exactMaxNodes: 500_000, graphs: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => argv[++i] ?? '';
    if (arg === '--grid') a.grid = Number(value());
    else if (arg === '--pool') a.pool = value();
    else if (arg === '--trust') a.trust = true;
    else if (arg === '--sizes') a.sizes = value().split(',').filter((s) => s !== '').map(Number);
    else if (arg === '--small') a.small = Number(value());
    else if (arg === '--seed') a.seed = Number(value());
    else if (arg === '--no-stg') a.stg = false;
    else if (arg === '--no-synthetic') a.synthetic = false;
    else if (arg === '--exact-max-steps') a.exactMaxSteps = Number(value());
    else if (arg === '--exact-max-nodes') a.exactMaxNodes = Number(value());
    else if (arg === '--graphs') a.graphs = true;
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else a.dir = arg;
  }
  if (a.stg && !a.dir) return 'usage: plan-grid <stgDir> [--grid 5] [--pool 4x1@1.0,4x2@2.4,4x4@5.8] [--trust] [--sizes 30,100,300] [--small 2] [--seed 1] [--no-stg] [--no-synthetic] [--exact-max-steps 8] [--exact-max-nodes 500000] [--graphs]';
  if (a.stg && a.dir !== null && !statSync(a.dir, { throwIfNoEntry: false })?.isDirectory()) return `${a.dir}: not a directory (a folder of .stg task graphs; --no-stg runs without one)`;
  if (!Number.isInteger(a.grid) || a.grid < 1) return '--grid must be a positive integer';
  if (a.sizes.some((s) => !Number.isInteger(s) || s < 3)) return '--sizes must be integers >= 3, comma-separated';
  if (!Number.isInteger(a.small) || a.small < 0 || !Number.isInteger(a.seed)) return '--small and --seed must be integers';
  return a;
}

function listStg(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listStg(path);
    return name.endsWith('.stg') ? [path] : [];
  });
}

/** An STG graph as a goal: task t becomes step `t<t>` with its processing time read as seconds. */
function stgGoal(text: string): Goal | string {
  const g = parseStg(text);
  if ('error' in g) return g.error;
  return {
    steps: g.times.map((time, i) => ({ id: `t${i + 1}`, name: `t${i + 1}`, durationMs: time * 1_000, cost: 0, requirements: { capabilities: [], minTrust: 0 } })),
    dependencies: g.preds.flatMap((ps, i) => ps.map((q) => ({ from: `t${q}`, to: `t${i + 1}` }))),
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const pct = (k: number, n: number): string => (n === 0 ? '-' : `${((100 * k) / n).toFixed(1)}%`);
const ms = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${quantile(s, 0.5).toFixed(2)}/${quantile(s, 0.95).toFixed(2)}/${(s[s.length - 1] ?? NaN).toFixed(2)}`;
};

/** Summarises a group of graphs; returns the line and whether anything must fail the run. */
function summarise(group: string, results: readonly GraphResult[]): { line: string; bad: number } {
  const cells = results.flatMap((r) => r.cells);
  const n = cells.length;
  const refined = cells.filter((c) => c.refined).length;
  const portfolio = cells.filter((c) => c.portfolioFits).length;
  const exactCells = cells.filter((c) => c.exact !== null);
  const exactFeasible = exactCells.filter((c) => c.exact === 'feasible').length;
  const proven = exactCells.filter((c) => c.exact === 'infeasible').length;
  const undecided = exactCells.filter((c) => c.exact === 'unknown').length;
  const contradicted = cells.filter((c) => !c.refined && (c.portfolioFits || c.exact === 'feasible')).length;
  const violations = cells.filter((c) => c.violation !== null);
  const refusals = cells.filter((c) => !c.refined);
  const bounded = refusals.filter((c) => c.refusalHasBounds).length;
  const byBound = refusals.filter((c) => c.refusalProof === 'lower-bound').length;
  const byExhaustion = refusals.filter((c) => c.refusalProof === 'exhaustive').length;
  const exactPart = exactCells.length > 0 ? `  exact feasible ${pct(exactFeasible, exactCells.length)} (proven infeasible ${proven}, undecided ${undecided})` : '';
  const line = `${group.padEnd(14)} graphs ${String(results.length).padStart(3)}  cells ${String(n).padStart(5)}  refine ${pct(refined, n).padStart(6)}  portfolio ${pct(portfolio, n).padStart(6)}${exactPart}`
    + `  contradicted refusals ${contradicted}  outside bounds ${violations.length}  refusals with bounds ${bounded}/${refusals.length}`
    + ` (proved by the cost bound ${byBound}, exhaustively ${byExhaustion})`
    + `  refine ms p50/p95/max ${ms(cells.map((c) => c.refineMs))} (unbounded ${ms(results.map((r) => r.unboundedRefineMs))})`;
  for (const v of violations) process.stderr.write(`${group}: ${v.violation}\n`);
  const byMode = new Map<string, number>();
  for (const c of cells) if (c.mode !== null) byMode.set(c.mode, (byMode.get(c.mode) ?? 0) + 1);
  const found = [...byMode].sort((a, b) => b[1] - a[1]).map(([m, k]) => `${m} ${k}`).join(', ');
  return { line: `${line}\n${''.padEnd(15)}plans by scheme: ${found}`, bad: contradicted + violations.length };
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  const executors = parsePool(args.pool, args.trust);
  if (typeof executors === 'string') {
    process.stderr.write(`${executors}\n`);
    return 2;
  }
  const groups: { name: string; goals: NamedGoal[] }[] = [];
  if (args.stg && args.dir) {
    const goals: NamedGoal[] = [];
    for (const path of listStg(args.dir)) {
      const goal = stgGoal(readFileSync(path, 'utf8'));
      if (typeof goal === 'string') {
        process.stderr.write(`${path}: ${goal}\n`);
        return 1;
      }
      goals.push({ name: relative(args.dir, path).split(sep).join('/'), goal });
    }
    groups.push({ name: 'stg', goals });
  }
  if (args.synthetic) {
    const set = syntheticSet(args.sizes, args.seed);
    for (const shape of SHAPES) groups.push({ name: shape, goals: set.filter((g) => g.name.startsWith(`${shape}-`)) });
    const small = SHAPES.flatMap((shape, s) => Array.from({ length: args.small }, (_, k) => ({
      name: `${shape}-small-${k}`, goal: buildShape(shape, 5 + ((k * 3) % 4), args.seed * 7_919 + s * 31 + k),
    })));
    if (small.length > 0) groups.push({ name: 'small (exact)', goals: small });
  }
  const options = { size: args.grid, exactMaxSteps: args.exactMaxSteps, exactMaxNodes: args.exactMaxNodes };
  process.stdout.write(`pool ${args.pool} (${executors.length} executors)${args.trust ? `, mixed trust` : ''}; grid ${args.grid}x${args.grid}\n`);
  const all: GraphResult[] = [];
  let bad = 0;
  for (const group of groups) {
    const results = group.goals.map(({ name, goal }, k) => runGrid(name, args.trust ? withTrustFloors(goal, args.seed * 104_729 + k) : goal, executors, options));
    if (args.graphs) {
      for (const r of results) {
        const ok = r.cells.filter((c) => c.refined).length;
        const pf = r.cells.filter((c) => c.portfolioFits).length;
        process.stdout.write(`  ${r.name} steps ${r.steps} fastest ${r.fastest.makespanMs.toFixed(0)} ms/${r.fastest.cost.toFixed(2)} cheapest ${r.cheapest.makespanMs.toFixed(0)} ms/${r.cheapest.cost.toFixed(2)} refine ${ok}/${r.cells.length} portfolio ${pf}/${r.cells.length}\n`);
      }
    }
    const s = summarise(group.name, results);
    process.stdout.write(`${s.line}\n`);
    bad += s.bad;
    all.push(...results);
  }
  const total = summarise('all', all);
  process.stdout.write(`${total.line}\n`);
  return bad > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
