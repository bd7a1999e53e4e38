/**
 * The scaling replay over every development trace and sample interval (not a test): the optimiser
 * with the service's default configuration against the HPA rule, static-at-peak and the oracle, each
 * trace at its default capacity (scripts/scale-replay/replay.ts), startup 60 s, ticks 10, 30, 60 s.
 * Prints the markdown table docs/benchmarks.md carries, then whether the optimiser beat the HPA rule
 * on both axes (unserved ≤, replica-hours ≤) with fewer changes on every row.
 *
 * Usage: npx tsx bench/optimizer-replay.ts [--config '{"peakSaturation":0.85}'] [--only name,name] [--ticks 10,30]
 * Development traces: NAB's request-count and network-traffic series (../shared/nab, or NAB_DIR),
 * NAB's realTraffic series, and the seeded synthetic shapes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveOptimizerConfig, type OptimizerConfig } from '../services/optimizer/src/domain';
import { replay, type ReplayReport } from '../scripts/scale-replay/replay';
import { SYNTHETIC, syntheticTrace } from '../scripts/scale-replay/synthetic';
import { readTrace, type Trace } from '../scripts/scale-replay/trace';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const nab = resolve(process.env['NAB_DIR'] ?? join(import.meta.dirname, '../../shared/nab'));
const NAB_TRACES = [
  'realAWSCloudwatch/elb_request_count_8c0756.csv', 'realAWSCloudwatch/ec2_network_in_257a54.csv', 'realAWSCloudwatch/ec2_network_in_5abac7.csv',
  'realTraffic/occupancy_6005.csv', 'realTraffic/occupancy_t4013.csv', 'realTraffic/speed_6005.csv', 'realTraffic/speed_7578.csv',
  'realTraffic/speed_t4013.csv', 'realTraffic/TravelTime_387.csv', 'realTraffic/TravelTime_451.csv',
];
const only = arg('only')?.split(',');
const ticks = (arg('ticks') ?? '10,30,60').split(',').map(Number);
const config: OptimizerConfig = resolveOptimizerConfig(JSON.parse(arg('config') ?? '{}') as Partial<OptimizerConfig>);

function* traces(): Generator<Trace> {
  for (const rel of NAB_TRACES) {
    const path = join(nab, rel);
    if (!existsSync(path)) throw new Error(`${path} is missing: set NAB_DIR to the NAB folder`);
    if (!only || only.some((o) => rel.includes(o))) yield readTrace(path);
  }
  for (const name of SYNTHETIC) if (!only || only.includes(name)) yield syntheticTrace(name);
}

const reports: ReplayReport[] = [];
const f = (x: number, d: number) => x.toFixed(d);
console.log('| trace | tick s | optimiser unserved % / replica-h / changes | HPA | static at peak | oracle | optimiser vs HPA | optimiser vs oracle replica-h |');
console.log('|---|---:|---|---|---|---|---|---:|');
let wins = 0;
// Each axis counted on its own: a setting that trades one axis for the other shows it here.
let unservedAtMost = 0;
let hoursAtMost = 0;
for (const trace of traces()) {
  for (const tickS of ticks) {
    const r = replay(trace, { tickS, startupS: 60 }, config);
    reports.push(r);
    const [opt, hpa, fixed, oracle] = r.results as [typeof r.results[0], typeof r.results[0], typeof r.results[0], typeof r.results[0]];
    const cell = (x: typeof opt) => `${f(x.unservedShare * 100, 3)} / ${f(x.replicaHours, 0)} / ${x.changes}`;
    const beats = opt.unservedShare <= hpa.unservedShare && opt.replicaHours <= hpa.replicaHours && opt.changes < hpa.changes;
    if (beats) wins++;
    if (opt.unservedShare <= hpa.unservedShare) unservedAtMost++;
    if (opt.replicaHours <= hpa.replicaHours) hoursAtMost++;
    const verdict = `${beats ? 'ahead' : 'BEHIND'} (unserved ${opt.unservedShare <= hpa.unservedShare ? '≤' : '>'}, hours ${f((opt.replicaHours / hpa.replicaHours - 1) * 100, 1)} %, changes ${opt.changes < hpa.changes ? '<' : '≥'})`;
    console.log(`| ${r.trace} | ${tickS} | ${cell(opt)} | ${cell(hpa)} | ${cell(fixed)} | ${cell(oracle)} | ${verdict} | ${f(opt.replicaHours / oracle.replicaHours, 2)}× |`);
  }
}
console.log(`\nahead of the HPA rule on both axes with fewer changes: ${wins} of ${reports.length} rows`);
console.log(`unserved ≤ the HPA rule's: ${unservedAtMost} rows; replica-hours ≤ the HPA rule's: ${hoursAtMost} rows`);
