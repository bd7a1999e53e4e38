/**
 * Sweeps optimiser settings over the replay rows (not a test): for each configuration, on how many
 * rows (trace × tick, startup 60 s) it is ahead of the HPA rule on both axes with fewer changes, and
 * which rows lose on which axis and by how much. The HPA rule and the oracle run once per row.
 *
 * Usage: npx tsx bench/optimizer-sweep.ts --configs '[{}, {"scaleDownStabilizationMs":240000}]'
 *          [--set dev|held|all|none|real-a|real-b|real] [--seeds 1|1,2|none] [--ticks 10,30,60]
 *          [--p99-replicas 20] [--weblog-rates 4,16] [--rows] [--hpa-frontier 0.45,0.75,0.01]
 * Sets split the NAB traces in two halves ("dev" tunes, "held" checks); synthetic shapes go with
 * the seeds given (seed 1 is the table's; other seeds are held-out draws of the same shapes).
 * "real-a" / "real-b" (both: "real") are the other NAB series that read as a service's load (EC2 and
 * RDS CPU, disk writes, network in, an autoscaling group's CPU): not the issue's traces and not in
 * the replay table, a check that a rule tuned on the table's traces holds on real series it never
 * saw; "real-a" may be tuned on, "real-b" only checked. `--p99-replicas` sets the capacity at which
 * each trace's 99th-percentile second needs that many replicas (the table's 20): a service of a few
 * replicas, where one replica is a large step, is a different regime. `--weblog-rates k,…` adds, per
 * seed, the web-log shape at k times its rate: the sum of k independent draws (k sites' audiences
 * behind one service), page-view bursts and all. At the table's rate a web log's seconds are mostly
 * their own noise; at 4-16× they are bursty at tens of requests a second, between that and the
 * Poisson shapes, with the HPA rule leaving 0.3-2.5 % unserved (the regime the issue's own figures
 * for the HPA rule, 1.6 %, suggest). `--rows` prints every row, not only those behind: each
 * configuration's unserved % / replica-hours / changes beside the HPA rule's, and the oracle's
 * replica-hours over the HPA rule's (how much a trace leaves to gain: the issue's real trace, 3,200
 * against 4,397, is at 0.73). `--hpa-frontier from,to,step` also runs the HPA rule at every target
 * utilisation of that grid and reads each configuration against the frontier it traces
 * (scripts/scale-replay/frontier.ts): the demand the HPA rule loses when its target is set to bill
 * the configuration's replica-hours, and the hours it needs to lose no more.
 */
import { join, resolve } from 'node:path';
import { resolveOptimizerConfig, type OptimizerConfig } from '../services/optimizer/src/domain';
import { defaultCapacity, hpaFront } from '../scripts/scale-replay/replay';
import { atHours, hoursFor, settingGrid, type FrontierPoint } from '../scripts/scale-replay/frontier';
import { hpaAtTarget, hpaPolicy, optimizerPolicy, oraclePolicy } from '../scripts/scale-replay/policies';
import { simulate, type SimulationResult } from '../scripts/scale-replay/simulate';
import { SYNTHETIC, syntheticTrace } from '../scripts/scale-replay/synthetic';
import { readTrace, type Trace } from '../scripts/scale-replay/trace';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const nab = resolve(process.env['NAB_DIR'] ?? join(import.meta.dirname, '../../shared/nab'));
/** NAB traces by set: the development traces in two halves (each with request-count-like and traffic series), and the real series outside the table in two halves. */
const SETS: Record<'dev' | 'held' | 'real-a' | 'real-b', string[]> = {
  dev: ['realAWSCloudwatch/elb_request_count_8c0756.csv', 'realAWSCloudwatch/ec2_network_in_257a54.csv', 'realTraffic/occupancy_6005.csv', 'realTraffic/speed_6005.csv', 'realTraffic/TravelTime_387.csv'],
  held: ['realAWSCloudwatch/ec2_network_in_5abac7.csv', 'realTraffic/occupancy_t4013.csv', 'realTraffic/speed_7578.csv', 'realTraffic/speed_t4013.csv', 'realTraffic/TravelTime_451.csv'],
  'real-a': ['ec2_cpu_utilization_24ae8d', 'ec2_cpu_utilization_5f5533', 'ec2_cpu_utilization_ac20cd', 'ec2_cpu_utilization_fe7f93', 'rds_cpu_utilization_cc0c53', 'ec2_disk_write_bytes_1ef3de', 'iio_us-east-1_i-a2eb1cd9_NetworkIn'].map((n) => `realAWSCloudwatch/${n}.csv`),
  'real-b': ['ec2_cpu_utilization_53ea38', 'ec2_cpu_utilization_77c1ca', 'ec2_cpu_utilization_825cc2', 'ec2_cpu_utilization_c6585a', 'rds_cpu_utilization_e47b3b', 'ec2_disk_write_bytes_c0d644', 'grok_asg_anomaly'].map((n) => `realAWSCloudwatch/${n}.csv`),
};
const SET_FILES: Record<string, string[]> = {
  none: [], all: [...SETS.dev, ...SETS.held], real: [...SETS['real-a'], ...SETS['real-b']], ...SETS,
};
const set = arg('set') ?? 'all';
const seeds = arg('seeds') === 'none' ? [] : (arg('seeds') ?? '1').split(',').map(Number);
const p99Replicas = Number(arg('p99-replicas') ?? 20);
if (!(p99Replicas > 0)) throw new Error('--p99-replicas: expected a number of replicas > 0');
const weblogRates = (arg('weblog-rates') ?? '').split(',').filter((k) => k !== '').map(Number);
if (!weblogRates.every((k) => Number.isInteger(k) && k >= 1)) throw new Error('--weblog-rates: expected whole multiples >= 1');
const ticks = (arg('ticks') ?? '10,30,60').split(',').map(Number);
const everyRow = process.argv.includes('--rows');
const hpaFrontier = arg('hpa-frontier');
const hpaTargets = hpaFrontier === undefined ? [] : settingGrid(hpaFrontier);
const configs = (JSON.parse(arg('configs') ?? '[{}]') as Partial<OptimizerConfig>[]).map((c) => ({ label: JSON.stringify(c), cfg: resolveOptimizerConfig(c) }));

const traces: Trace[] = [];
const files = SET_FILES[set];
if (files === undefined) throw new Error(`--set ${set}: expected one of ${Object.keys(SET_FILES).join(', ')}`);
for (const rel of files) traces.push(readTrace(join(nab, rel)));
for (const seed of seeds) for (const name of SYNTHETIC) traces.push({ ...syntheticTrace(name, seed), name: `synthetic:${name}#${seed}` });
for (const seed of seeds) for (const k of weblogRates) traces.push(weblogAtRate(k, seed));

/** The web-log shape at `k` times its rate: the sum of k draws whose seeds no other row uses. */
function weblogAtRate(k: number, seed: number): Trace {
  const draws = Array.from({ length: k }, (_, i) => syntheticTrace('weblog', 1000 * seed + i));
  const demand = new Float64Array(draws[0]!.demand.length);
  for (const d of draws) d.demand.forEach((v, s) => { demand[s]! += v; });
  return { ...draws[0]!, demand, name: `synthetic:weblog×${k}#${seed}` };
}

/** A policy's row as the docs' tables write it: unserved % / replica-hours / changes. */
function figures(r: SimulationResult): string {
  return `${(r.unservedShare * 100).toFixed(3)} / ${r.replicaHours.toFixed(0)} / ${r.changes}`;
}

/** `value` against `base` as a signed percentage; "—" where the base is 0 (no demand lost to compare with). */
function percentChange(value: number, base: number): string {
  if (base === 0) return value === 0 ? '±0 %' : '—';
  const p = (value / base - 1) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`;
}

interface Row { trace: string; tickS: number; hpa: SimulationResult; oracle: SimulationResult; opt: SimulationResult[]; front: FrontierPoint[] }
const rows: Row[] = [];
for (const trace of traces) {
  const capacityRps = defaultCapacity(trace.demand, p99Replicas);
  for (const tickS of ticks) {
    const sim = { tickS, startupS: 60, capacityRps, startMs: trace.startMs };
    const initial = Math.max(1, Math.ceil((trace.demand[0] ?? 0) / (capacityRps * 0.6)));
    const hpa = simulate(trace.demand, hpaPolicy(hpaAtTarget(0.6), initial), sim);
    const front = hpaFront(trace.demand, hpaTargets, (t) => hpaPolicy(hpaAtTarget(t), initial), sim);
    const oracle = simulate(trace.demand, oraclePolicy(trace.demand, capacityRps, 60, tickS), sim);
    rows.push({ trace: trace.name, tickS, hpa, oracle, opt: configs.map((c) => simulate(trace.demand, optimizerPolicy(c.cfg, initial), sim)), front });
  }
}

/**
 * One row of a configuration against the HPA rule's frontier: whether it loses no more than the HPA
 * rule would at the same replica-hours (null outside the frontier's span), and the hours the HPA
 * rule needs to lose no more, over the configuration's (null where no target of the grid gets there).
 */
function againstFrontier(r: Row, o: SimulationResult): { noWorse: boolean | null; fewerChanges: boolean; hoursToMatch: number | null; text: string } {
  const same = atHours(r.front, o.replicaHours);
  const match = hoursFor(r.front, o.unservedShare);
  const noWorse = same === null ? null : o.unservedShare <= same.unservedShare;
  const hoursToMatch = match === null ? null : match.replicaHours / o.replicaHours;
  const sameText = same === null ? 'outside the frontier measured' : `the HPA rule at target ${same.setting.toFixed(3)} loses ${(same.unservedShare * 100).toPrecision(3)} % with ${same.changes.toFixed(0)} changes`;
  const matchText = match === null ? 'no target measured loses as little' : `it loses as little at ${match.replicaHours.toFixed(0)} h (${match.atEdge ? 'at most ' : ''}${percentChange(match.replicaHours, o.replicaHours)}, target ${match.setting.toFixed(3)})`;
  return { noWorse, fewerChanges: same !== null && o.changes < same.changes, hoursToMatch, text: `frontier: at equal hours ${sameText}; ${matchText}` };
}

configs.forEach((c, k) => {
  let wins = 0;
  let unservedOk = 0;
  let hoursOk = 0;
  let changesOk = 0;
  let hoursRatio = 0;
  let oracleRatio = 0;
  const losses: string[] = [];
  const aboveFrontier: string[] = [];
  const rowLines: string[] = [];
  const frontier = { inSpan: 0, noWorse: 0, ahead: 0, matched: 0, hoursToMatch: 0 };
  for (const r of rows) {
    const o = r.opt[k]!;
    const f = r.front.length > 0 ? againstFrontier(r, o) : null;
    if (f !== null && f.noWorse !== null) {
      frontier.inSpan++;
      if (f.noWorse) frontier.noWorse++;
      if (f.noWorse && f.fewerChanges) frontier.ahead++;
      else aboveFrontier.push(`${r.trace}@${r.tickS}: ${figures(o)}; ${f.text}`);
    }
    if (f !== null && f.hoursToMatch !== null) {
      frontier.matched++;
      frontier.hoursToMatch += Math.log(f.hoursToMatch);
    }
    const u = o.unservedShare <= r.hpa.unservedShare;
    const h = o.replicaHours <= r.hpa.replicaHours;
    const ch = o.changes < r.hpa.changes;
    if (u) unservedOk++;
    if (h) hoursOk++;
    if (ch) changesOk++;
    if (u && h && ch) wins++;
    const hoursVsHpa = o.replicaHours / r.hpa.replicaHours;
    hoursRatio += Math.log(hoursVsHpa);
    oracleRatio += Math.log(o.replicaHours / r.oracle.replicaHours);
    if (everyRow) rowLines.push(`${r.trace}@${r.tickS}: ${figures(o)} against ${figures(r.hpa)}; hours ${percentChange(o.replicaHours, r.hpa.replicaHours)}, unserved ${percentChange(o.unservedShare, r.hpa.unservedShare)}; oracle ÷ HPA hours ${(r.oracle.replicaHours / r.hpa.replicaHours).toFixed(2)}${f === null ? '' : `; ${f.text}`}`);
    if (!(u && h && ch)) {
      losses.push(`${r.trace}@${r.tickS}: ${u ? '' : `unserved ${(o.unservedShare * 100).toFixed(3)}>${(r.hpa.unservedShare * 100).toFixed(3)} `}${h ? '' : `hours ${percentChange(o.replicaHours, r.hpa.replicaHours)} `}${ch ? '' : `changes ${o.changes}>=${r.hpa.changes}`}${f === null ? '' : `; ${f.text}`}`);
    }
  }
  const n = rows.length;
  console.log(`${c.label}\n  ahead ${wins}/${n}; unserved<= ${unservedOk}, hours<= ${hoursOk}, changes< ${changesOk}; hours vs HPA geo-mean ${(Math.exp(hoursRatio / n) * 100 - 100).toFixed(1)} %, vs oracle ${Math.exp(oracleRatio / n).toFixed(2)}×`);
  if (hpaTargets.length > 0) {
    console.log(`  against the HPA rule's frontier (targets ${hpaTargets[0]}-${hpaTargets[hpaTargets.length - 1]}): loses no more at equal replica-hours on ${frontier.noWorse} of the ${frontier.inSpan} rows inside it (${n - frontier.inSpan} outside), with fewer changes too on ${frontier.ahead}; to lose no more the HPA rule bills ${frontier.matched === 0 ? '—' : percentChange(Math.exp(frontier.hoursToMatch / frontier.matched), 1)} replica-hours (geo-mean over the ${frontier.matched} rows where a target gets there)`);
    for (const l of aboveFrontier) console.log(`    short of the frontier: ${l}`);
  }
  for (const l of losses) console.log(`    ${l}`);
  if (everyRow) console.log(`  every row (unserved % / replica-hours / changes):\n${rowLines.map((l) => `    ${l}`).join('\n')}`);
});
