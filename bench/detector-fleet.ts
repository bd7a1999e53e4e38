/**
 * Detection quality on a second, labelled benchmark: a seeded synthetic fleet with known incidents
 * of every kind the detector reports (see scripts/synthetic-fleet-bench/fleet.ts), scored for
 * precision, recall, kind and latency beside a rolling z-score baseline run on the same fleet.
 * Not a test: `npm run bench:detector-fleet [-- --seeds 1,2,3] [--core <path to a domain index>]`.
 * `--core` runs another build of the core (an older commit's, checked out elsewhere) on the same fleet.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../services/detector/src/domain';
import { generateFleet, generateSeasonalPointFleet, scoreFleet, SHAPES } from '../scripts/synthetic-fleet-bench/fleet';
import type { Alarm, FleetSeries } from '../scripts/synthetic-fleet-bench/fleet';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const seeds = (option('--seeds') ?? '1,2,3').split(',').map(Number);
const corePath = option('--core');
const core: typeof current = corePath ? await import(pathToFileURL(resolve(corePath)).href) : current;

const fleet: FleetSeries[] = seeds.flatMap((seed) => generateFleet(seed));
const config = core.resolveDetectorConfig();

function detectorAlarms(series: FleetSeries): Alarm[] {
  let state = core.initialState();
  const out: Alarm[] = [];
  series.values.forEach((value, index) => {
    const r = core.step(state, { timestampMs: series.timestampsMs[index] as number, value }, config);
    state = r.state;
    if (r.verdict.anomaly) out.push({ index, kind: r.verdict.anomaly.kind });
  });
  return out;
}

// The baseline: |z| >= 4 over the previous 100 samples, then quiet for as long as the detector's
// refractory period (so repeats do not count against it), kind from the sign.
const Z_WINDOW = 100;
const Z_ALARM = 4;
function zScoreAlarms(series: FleetSeries): Alarm[] {
  const out: Alarm[] = [];
  let quietUntil = -1;
  const v = series.values;
  for (let i = Z_WINDOW; i < v.length; i++) {
    let mean = 0;
    for (let j = i - Z_WINDOW; j < i; j++) mean += v[j] as number;
    mean /= Z_WINDOW;
    let sq = 0;
    for (let j = i - Z_WINDOW; j < i; j++) sq += ((v[j] as number) - mean) ** 2;
    const z = ((v[i] as number) - mean) / Math.max(Math.sqrt(sq / (Z_WINDOW - 1)), 1e-9);
    if (Math.abs(z) >= Z_ALARM && i > quietUntil) {
      out.push({ index: i, kind: z > 0 ? 'spike' : 'drop' });
      quietUntil = i + config.refractorySamples;
    }
  }
  return out;
}

const round = (x: number, d = 3) => Number(x.toFixed(d));

// The seasonal case, reported apart so the main fleet's figures stay comparable with earlier runs:
// spikes at a daily cycle's crest, drops at its trough, drifts as the control (see its generator).
const seasonalFleet: FleetSeries[] = seeds.flatMap((seed) => generateSeasonalPointFleet(seed));
function seasonalSummary(alarms: Alarm[][]) {
  const s = scoreFleet(seasonalFleet, alarms);
  return {
    precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), repeats: s.repeats, kindAgreement: round(s.kindAgreement),
    byKind: Object.fromEntries((['spike', 'drop', 'drift'] as const).map((k) => {
      const { incidents, detected, kindRight } = s.byKind[k];
      return [k, { incidents, detected, kindRight }];
    })),
  };
}
function summary(alarms: Alarm[][]) {
  const s = scoreFleet(fleet, alarms);
  return {
    precision: round(s.precision), recall: round(s.recall), f1: round(s.f1),
    falseAlarmsPer10kSamples: round(s.falseAlarmsPer10kSamples, 2), falseAlarms: s.falseAlarms, repeats: s.repeats,
    kindAgreement: round(s.kindAgreement), latencySamples: s.latencySamples,
    byKind: s.byKind,
    byShape: Object.fromEntries(SHAPES.map((shape) => {
      const keep = fleet.map((f) => f.shape === shape);
      const part = scoreFleet(fleet.filter((_, k) => keep[k]), alarms.filter((_, k) => keep[k]));
      return [shape, { recall: round(part.recall), precision: round(part.precision), falseAlarms: part.falseAlarms }];
    })),
  };
}

const started = performance.now();
const detector = summary(fleet.map(detectorAlarms));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({
  bench: 'detector-fleet', seeds, series: fleet.length, samples: fleet.reduce((n, f) => n + f.values.length, 0),
  incidents: fleet.reduce((n, f) => n + f.incidents.length, 0), core: corePath ?? 'services/detector/src/domain',
  threshold: config.threshold, seconds: round(seconds, 2),
  detector,
  seasonalPoints: {
    series: seasonalFleet.length, incidents: seasonalFleet.reduce((n, f) => n + f.incidents.length, 0),
    detector: seasonalSummary(seasonalFleet.map(detectorAlarms)),
  },
  baseline: { label: `rolling z-score, |z| >= ${Z_ALARM} over ${Z_WINDOW} samples, quiet ${config.refractorySamples} samples after an alarm`, ...summary(fleet.map(zScoreAlarms)) },
}, null, 2));
