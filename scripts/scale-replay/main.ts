/**
 * npm run -s scale-replay -- <trace> [--tick S] [--startup S] [--capacity N] [--step S] [--hpa-frontier from,to,step] [--json]
 *
 * Replays a requests-per-second trace through a simulated service (see simulate.ts) under the
 * optimiser — the service's core with the service's configuration, read from the same OPTIMIZER_*
 * variables — and under the reference policies, and prints for each the share of demand unserved,
 * the ticks overloaded, the replica-hours billed and the number of changes.
 *
 * <trace> is a file of whitespace-separated numbers (one per second, or per --step seconds), a CSV
 * with a `value` column (NAB's layout; the step is the median timestamp gap), or synthetic:<name>
 * for a seeded synthetic trace (daily, flash, ramp, step, weblog). A CSV's points are replayed as
 * consecutive, one step apart; where its timestamps say otherwise the report notes how many
 * intervals differ (trace.ts `TimestampGaps`).
 *
 * --hpa-frontier also runs the HPA rule at every target utilisation of the grid and says where the
 * optimiser sits against the frontier they trace (frontier.ts): what the HPA rule loses when its
 * target is set to bill the optimiser's replica-hours, and the hours it needs to lose no more.
 */
import { loadConfig } from '@maestro/runtime';
import { optimizerConfigSpec, toOptimizerConfig } from '../../services/optimizer/src/service-config';
import { settingGrid } from './frontier';
import { replay, type FrontierReport, type ReplayReport } from './replay';
import { SYNTHETIC, syntheticTrace, type SyntheticName } from './synthetic';
import { describeGaps, readTrace, TraceError, type Trace } from './trace';

const USAGE = `usage: npm run -s scale-replay -- <trace file | synthetic:{${SYNTHETIC.join(',')}}> [--tick S (1-120, default 10)] [--startup S (default 60)] [--capacity requests/s per replica] [--step S] [--hpa-frontier from,to,step (e.g. 0.45,0.75,0.01)] [--json]`;

/** A bad command line: printed with the usage, exit 2. */
class UsageError extends Error {}

function parseArgs(argv: readonly string[]) {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') flags.set('json', 'true');
    else if (a.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`${a} needs a value`);
      flags.set(a.slice(2), value);
      i++;
    } else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError('give exactly one trace');
  const num = (name: string, fallback: number | undefined, ok: (n: number) => boolean, want: string) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!ok(n)) throw new UsageError(`--${name} must be ${want}, got "${raw}"`);
    return n;
  };
  const known = new Set(['tick', 'startup', 'capacity', 'step', 'hpa-frontier', 'json']);
  for (const k of flags.keys()) if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
  return {
    trace: positional[0]!,
    tickS: num('tick', 10, (n) => Number.isInteger(n) && n >= 1 && n <= 120, 'an integer from 1 to 120')!,
    startupS: num('startup', 60, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0')!,
    capacityRps: num('capacity', undefined, (n) => Number.isFinite(n) && n > 0, 'a number > 0'),
    stepS: num('step', undefined, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    hpaTargets: grid(flags.get('hpa-frontier')),
    json: flags.has('json'),
  };
}

function grid(spec: string | undefined): number[] {
  if (spec === undefined) return [];
  try {
    return settingGrid(spec);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--hpa-frontier: ${error.message}`);
    throw error;
  }
}

function loadTrace(spec: string, stepS: number | undefined): Trace {
  if (!spec.startsWith('synthetic:')) return readTrace(spec, stepS);
  const name = spec.slice('synthetic:'.length);
  if (!(SYNTHETIC as readonly string[]).includes(name)) throw new UsageError(`no synthetic trace "${name}"; there are ${SYNTHETIC.join(', ')}`);
  return syntheticTrace(name as SyntheticName);
}

const pct = (x: number) => `${(x * 100).toFixed(3)} %`;

/** The report as a fixed-width table. */
export function renderReport(r: ReplayReport): string {
  const head = `${r.trace}: ${(r.seconds / 86_400).toFixed(2)} days, tick ${r.tickS} s, startup ${r.startupS} s, capacity ${r.capacityRps} requests/s per replica (mean demand ${r.meanDemandReplicas.toFixed(2)} replicas)`;
  const rows = [['policy', 'unserved', 'ticks overloaded', 'replica-hours', 'changes', 'max replicas']];
  for (const x of r.results) rows.push([x.policy, pct(x.unservedShare), `${x.ticksOverloaded} / ${x.ticks}`, x.replicaHours.toFixed(1), String(x.changes), String(x.maxReplicas)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const note = r.gaps === undefined ? null : describeGaps(r.gaps);
  const table = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  return [head, ...(note === null ? [] : [note]), ...table, ...(r.frontier === undefined ? [] : renderFrontier(r.frontier, r.results[0]!.replicaHours))].join('\n');
}

/** Two lines: the HPA rule at the optimiser's replica-hours, and the hours it needs to lose no more. */
function renderFrontier(f: FrontierReport, optimiserHours: number): string[] {
  const same = f.atOptimiserHours;
  const match = f.toLoseNoMore;
  return [
    `against the HPA rule at targets ${f.fromTarget}-${f.toTarget}:`,
    same === null
      ? `  at the optimiser's ${optimiserHours.toFixed(1)} replica-hours: outside the targets run`
      : `  at the optimiser's ${optimiserHours.toFixed(1)} replica-hours (target ${same.setting.toFixed(3)}) it leaves ${pct(same.unservedShare)} unserved with ${same.changes.toFixed(0)} changes`,
    match === null
      ? '  no target run leaves as little unserved as the optimiser'
      : `  it leaves as little unserved as the optimiser at ${match.atEdge ? 'most ' : ''}${match.replicaHours.toFixed(1)} replica-hours (target ${match.setting.toFixed(3)})`,
  ];
}

try {
  const args = parseArgs(process.argv.slice(2));
  const config = toOptimizerConfig(loadConfig(optimizerConfigSpec, process.env));
  const report = replay(loadTrace(args.trace, args.stepS), args, config);
  console.log(args.json ? JSON.stringify(report) : renderReport(report));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof TraceError || (error instanceof Error && error.name === 'ConfigError')) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
