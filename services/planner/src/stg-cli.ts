/**
 * STG benchmark command (an edge: it reads files and writes to stdout/stderr).
 *
 *   tsx services/planner/src/stg-cli.ts <stgDir> [--processors 2,4,8,16] [--optimum <optimum.csv>]
 *
 * Schedules every `.stg` under the folder on P identical processors with the planner's own search,
 * prints one JSON line per graph and P, verifies every schedule (exit 1 on any violation), and,
 * given the optimum table (default `<stgDir>/optimum.csv` when present), prints the mean gap above
 * the best known and the share of instances at the best known to stderr.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildCsr } from './domain/topology';
import { parseStg, scheduleStg } from './domain/stg';
import type { StgGraph } from './domain/stg';
import { verifySchedule } from './domain/verify';

interface Args { dir: string; processors: number[]; optimum: string | null }

function parseArgs(argv: readonly string[]): Args | string {
  let dir: string | null = null;
  let processors = [2, 4, 8, 16];
  let optimum: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--processors') processors = (argv[++i] ?? '').split(',').map(Number);
    else if (a === '--optimum') optimum = argv[++i] ?? null;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else dir = a;
  }
  if (!dir) return 'usage: stg-cli <stgDir> [--processors 2,4,8,16] [--optimum <optimum.csv>]';
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return `${dir}: not a directory (a folder of .stg task graphs)`;
  if (processors.some((p) => !Number.isInteger(p) || p < 1)) return '--processors must be positive integers, comma-separated';
  if (optimum === null && existsSync(join(dir, 'optimum.csv'))) optimum = join(dir, 'optimum.csv');
  if (optimum !== null && !statSync(optimum, { throwIfNoEntry: false })?.isFile()) return `--optimum ${optimum}: no such file`;
  return { dir, processors, optimum };
}

function listStg(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listStg(path));
    else if (name.endsWith('.stg')) out.push(path);
  }
  return out;
}

/** Best known makespans keyed by `file|P`, from optimum.csv's `pN_best` columns. */
function readBestKnown(path: string): Map<string, number> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = (header ?? '').split(',');
  const best = new Map<string, number>();
  for (const row of rows) {
    const cells = row.split(',');
    cols.forEach((c, k) => {
      const m = /^p(\d+)_best$/.exec(c);
      if (m) best.set(`${cells[0]}|${m[1]}`, Number(cells[k]));
    });
  }
  return best;
}

function check(graph: StgGraph, processors: number, schedule: { processor: number; start: number }[]): string[] {
  const from: number[] = [];
  const to: number[] = [];
  graph.preds.forEach((ps, i) => ps.forEach((q) => { from.push(q - 1); to.push(i); }));
  const [predOffsets, predIndex] = buildCsr(graph.taskCount, to, from);
  const placements = { executor: schedule.map((s) => s.processor), start: schedule.map((s) => s.start) };
  const violations = verifySchedule({ predOffsets, predIndex }, graph.times, placements, processors, 0);
  if (schedule.some((s) => !Number.isInteger(s.start))) violations.push('a start time is not an integer');
  return violations;
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  const best = args.optimum ? readBestKnown(args.optimum) : null;
  const gaps: number[] = [];
  let failures = 0;
  for (const path of listStg(args.dir)) {
    const file = relative(args.dir, path).split(sep).join('/');
    const graph = parseStg(readFileSync(path, 'utf8'));
    if ('error' in graph) {
      process.stderr.write(`${file}: ${graph.error}\n`);
      failures++;
      continue;
    }
    for (const processors of args.processors) {
      const { makespan, schedule } = scheduleStg(graph, processors);
      process.stdout.write(`${JSON.stringify({ file, processors, makespan, schedule })}\n`);
      const violations = check(graph, processors, schedule);
      for (const v of violations) process.stderr.write(`${file} P=${processors}: ${v}\n`);
      if (violations.length > 0) failures++;
      const known = best?.get(`${file}|${processors}`);
      if (known !== undefined) gaps.push((makespan - known) / known);
    }
  }
  if (gaps.length > 0) {
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const atBest = gaps.filter((g) => g <= 1e-12).length;
    process.stderr.write(`instances ${gaps.length}  mean gap ${(mean * 100).toFixed(3)}%  max gap ${(Math.max(...gaps) * 100).toFixed(2)}%  at best known ${atBest}/${gaps.length} (${((atBest / gaps.length) * 100).toFixed(1)}%)\n`);
  }
  if (failures > 0) process.stderr.write(`${failures} schedule(s) failed verification or parsing\n`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
