/**
 * Sweeps optimiser settings over the replay rows (not a test): for each configuration, on how many
 * rows (trace × tick, startup 60 s) it is ahead of the HPA rule on both axes with fewer changes, and
 * which rows lose on which axis and by how much. The HPA rule and the oracle run once per row.
 *
 * Usage: npx tsx bench/optimizer-sweep.ts --configs '[{}, {"scaleDownStabilizationMs":240000}]'
 *          [--set dev|held|all|none] [--seeds 1] [--ticks 10,30,60]
 * Sets split the NAB traces in two halves ("dev" tunes, "held" checks); synthetic shapes go with
 * the seeds given (seed 1 is the table's; other seeds are held-out draws of the same shapes).
 */
import { join, resolve } from 'node:path';
import { resolveOptimizerConfig, type OptimizerConfig } from '../services/optimizer/src/domain';
import { defaultCapacity } from '../scripts/scale-replay/replay';
import { hpaPolicy, optimizerPolicy, oraclePolicy } from '../scripts/scale-replay/policies';
import { simulate, type SimulationResult } from '../scripts/scale-replay/simulate';
import { SYNTHETIC, syntheticTrace } from '../scripts/scale-replay/synthetic';
import { readTrace, type Trace } from '../scripts/scale-replay/trace';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const nab = resolve(process.env['NAB_DIR'] ?? join(import.meta.dirname, '../../shared/nab'));
/** Two halves of the NAB development traces, each with request-count-like and traffic series. */
const HALVES: Record<'dev' | 'held', string[]> = {
  dev: ['realAWSCloudwatch/elb_request_count_8c0756.csv', 'realAWSCloudwatch/ec2_network_in_257a54.csv', 'realTraffic/occupancy_6005.csv', 'realTraffic/speed_6005.csv', 'realTraffic/TravelTime_387.csv'],
  held: ['realAWSCloudwatch/ec2_network_in_5abac7.csv', 'realTraffic/occupancy_t4013.csv', 'realTraffic/speed_7578.csv', 'realTraffic/speed_t4013.csv', 'realTraffic/TravelTime_451.csv'],
};
const set = arg('set') ?? 'all';
const seeds = (arg('seeds') ?? '1').split(',').map(Number);
const ticks = (arg('ticks') ?? '10,30,60').split(',').map(Number);
const configs = (JSON.parse(arg('configs') ?? '[{}]') as Partial<OptimizerConfig>[]).map((c) => ({ label: JSON.stringify(c), cfg: resolveOptimizerConfig(c) }));

const traces: Trace[] = [];
for (const rel of set === 'none' ? [] : set === 'all' ? [...HALVES.dev, ...HALVES.held] : HALVES[set as 'dev' | 'held']) traces.push(readTrace(join(nab, rel)));
for (const seed of seeds) for (const name of SYNTHETIC) traces.push({ ...syntheticTrace(name, seed), name: `synthetic:${name}#${seed}` });

interface Row { trace: string; tickS: number; hpa: SimulationResult; oracle: SimulationResult; opt: SimulationResult[] }
const rows: Row[] = [];
for (const trace of traces) {
  const capacityRps = defaultCapacity(trace.demand);
  for (const tickS of ticks) {
    const sim = { tickS, startupS: 60, capacityRps, startMs: trace.startMs };
    const initial = Math.max(1, Math.ceil((trace.demand[0] ?? 0) / (capacityRps * 0.6)));
    const hpa = simulate(trace.demand, hpaPolicy({ targetUtilisation: 0.6, tolerance: 0.1, scaleDownStabilisationS: 300, minReplicas: 1, maxReplicas: 100 }, initial), sim);
    const oracle = simulate(trace.demand, oraclePolicy(trace.demand, capacityRps, 60, tickS), sim);
    rows.push({ trace: trace.name, tickS, hpa, oracle, opt: configs.map((c) => simulate(trace.demand, optimizerPolicy(c.cfg, initial), sim)) });
  }
}

configs.forEach((c, k) => {
  let wins = 0;
  let unservedOk = 0;
  let hoursOk = 0;
  let changesOk = 0;
  let hoursRatio = 0;
  let oracleRatio = 0;
  const losses: string[] = [];
  for (const r of rows) {
    const o = r.opt[k]!;
    const u = o.unservedShare <= r.hpa.unservedShare;
    const h = o.replicaHours <= r.hpa.replicaHours;
    const ch = o.changes < r.hpa.changes;
    if (u) unservedOk++;
    if (h) hoursOk++;
    if (ch) changesOk++;
    if (u && h && ch) wins++;
    hoursRatio += Math.log(o.replicaHours / r.hpa.replicaHours);
    oracleRatio += Math.log(o.replicaHours / r.oracle.replicaHours);
    if (!(u && h && ch)) {
      losses.push(`${r.trace}@${r.tickS}: ${u ? '' : `unserved ${(o.unservedShare * 100).toFixed(3)}>${(r.hpa.unservedShare * 100).toFixed(3)} `}${h ? '' : `hours +${((o.replicaHours / r.hpa.replicaHours - 1) * 100).toFixed(1)}% `}${ch ? '' : `changes ${o.changes}>=${r.hpa.changes}`}`);
    }
  }
  const n = rows.length;
  console.log(`${c.label}\n  ahead ${wins}/${n}; unserved<= ${unservedOk}, hours<= ${hoursOk}, changes< ${changesOk}; hours vs HPA geo-mean ${(Math.exp(hoursRatio / n) * 100 - 100).toFixed(1)} %, vs oracle ${Math.exp(oracleRatio / n).toFixed(2)}×`);
  for (const l of losses) console.log(`    ${l}`);
});
