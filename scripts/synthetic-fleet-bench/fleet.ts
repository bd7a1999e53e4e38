/**
 * A labelled second benchmark for the detector, so its quality is not judged on NAB alone: a seeded
 * synthetic fleet of metric series with known incidents of each kind the detector reports (spike,
 * drop, drift, oscillation), and a scorer of what a detector raised against them (precision,
 * recall, kind, detection latency). Pure: the same seed gives the same fleet on every machine.
 *
 * The series shapes are the ones an operations fleet shows: flat noise, a daily sinusoid, business
 * hours (a daily square wave), a slowly wandering level (AR(1)), and a bursty heavy-tailed metric.
 * Incidents are sized in the series' noise stddev and placed after the first 20 % (the detector's
 * learning time, as NAB's probation), at least {@link MIN_GAP_SAMPLES} apart.
 */
import { seededRandom } from '../../test/support/seeded-random';

export const INCIDENT_KINDS = ['spike', 'drop', 'drift', 'oscillation'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const SHAPES = ['noise', 'sinusoid', 'business-hours', 'wander', 'bursty'] as const;
export type Shape = (typeof SHAPES)[number];

/** One injected incident: samples [start, end) are affected. */
export interface Incident {
  readonly kind: IncidentKind;
  readonly start: number;
  readonly end: number;
  /** Size in noise stddevs (peak departure, shift, or flapping amplitude). */
  readonly sizeStd: number;
}

export interface FleetSeries {
  readonly name: string;
  readonly shape: Shape;
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
  readonly incidents: readonly Incident[];
}

export const SAMPLE_INTERVAL_MS = 300_000;
const START_MS = Date.UTC(2026, 0, 5);
const SAMPLES_PER_DAY = 86_400_000 / SAMPLE_INTERVAL_MS;
/** Incidents come after this fraction of a series: before it the detector is learning. */
export const LEARNING_FRACTION = 0.2;
const MIN_GAP_SAMPLES = 400;

/** Standard normal draw (Box-Muller) from a uniform generator. */
function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** The incident-free value of `shape` at sample i, in noise stddevs around a level of 100. */
function shapeValue(shape: Shape, i: number, u: () => number, wander: { x: number }): number {
  const dayPhase = (i % SAMPLES_PER_DAY) / SAMPLES_PER_DAY;
  const e = normal(u);
  switch (shape) {
    case 'noise': return 100 + e;
    case 'sinusoid': return 100 + 8 * Math.sin(2 * Math.PI * dayPhase) + e;
    case 'business-hours': return 100 + (dayPhase >= 9 / 24 && dayPhase < 17 / 24 ? 10 : 0) + e;
    case 'wander':
      wander.x = 0.995 * wander.x + 0.3 * normal(u);
      return 100 + wander.x + e;
    case 'bursty': return 100 + Math.exp(0.6 * e) - 1.2 + (u() < 0.01 ? 2 + 3 * u() : 0);
  }
}

/** The departure an incident adds at sample i (0 outside it). */
function incidentOffset(inc: Incident, i: number): number {
  if (i < inc.start || i >= inc.end) return 0;
  const k = i - inc.start;
  switch (inc.kind) {
    case 'spike': return inc.sizeStd;
    case 'drop': return -inc.sizeStd;
    // A ramp over the first half, then the new level held: a drift that a remedy must follow.
    case 'drift': return inc.sizeStd * Math.min(1, k / Math.max(1, (inc.end - inc.start) / 2));
    case 'oscillation': return k % 2 === 0 ? inc.sizeStd : -inc.sizeStd;
  }
}

const DURATION: Record<IncidentKind, [number, number]> = {
  spike: [1, 3], drop: [1, 3], drift: [60, 300], oscillation: [30, 90],
};
const SIZE_STD: Record<IncidentKind, [number, number]> = {
  spike: [7, 14], drop: [7, 14], drift: [5, 10], oscillation: [3, 6],
};

/**
 * The fleet for `seed`: `seriesPerShape` series of each shape, `length` samples each (5-minute
 * samples), a quarter of them without any incident (what false alarms are counted on), the rest
 * with one to three incidents of random kinds.
 */
export function generateFleet(seed: number, seriesPerShape = 8, length = 4032): FleetSeries[] {
  const u = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * u();
  const fleet: FleetSeries[] = [];
  for (const shape of SHAPES) {
    for (let s = 0; s < seriesPerShape; s++) {
      const incidents: Incident[] = [];
      const count = s < seriesPerShape / 4 ? 0 : 1 + Math.floor(u() * 3);
      let from = Math.ceil(LEARNING_FRACTION * length);
      for (let c = 0; c < count; c++) {
        const kind = INCIDENT_KINDS[Math.floor(u() * INCIDENT_KINDS.length)] as IncidentKind;
        const [dLo, dHi] = DURATION[kind];
        const duration = Math.round(between(dLo, dHi));
        const latest = length - duration - 1 - (count - c - 1) * MIN_GAP_SAMPLES;
        if (latest <= from) break;
        const start = Math.floor(between(from, Math.min(latest, from + (latest - from) / (count - c))));
        const [sLo, sHi] = SIZE_STD[kind];
        incidents.push({ kind, start, end: start + duration, sizeStd: between(sLo, sHi) });
        from = start + duration + MIN_GAP_SAMPLES;
      }
      const wander = { x: 0 };
      const values: number[] = [];
      const timestampsMs: number[] = [];
      for (let i = 0; i < length; i++) {
        let v = shapeValue(shape, i, u, wander);
        for (const inc of incidents) v += incidentOffset(inc, i);
        values.push(v);
        timestampsMs.push(START_MS + i * SAMPLE_INTERVAL_MS);
      }
      fleet.push({ name: `${shape}-${s}`, shape, timestampsMs, values, incidents });
    }
  }
  return fleet;
}

/** One alarm a detector raised: the sample index and the kind it reported. */
export interface Alarm {
  readonly index: number;
  readonly kind: string;
}

// An incident counts as detected by an alarm from its start to this many samples after its end,
// plus the drift's own ramp (a drift is visible only once it has moved). Alarms later than that
// but before the span below are repeats of the same event, not false alarms.
const DETECT_GRACE_SAMPLES = 20;
const AFTERMATH_SAMPLES = 150;

/** What the scorer says about one detector over a fleet. */
export interface FleetScore {
  readonly incidents: number;
  readonly detected: number;
  readonly recall: number;
  /** Alarms that were an incident's first detection, over all alarms after the learning time. */
  readonly precision: number;
  readonly f1: number;
  /** Alarms outside every incident's span (learning time excluded), per 10,000 samples. */
  readonly falseAlarmsPer10kSamples: number;
  readonly falseAlarms: number;
  /** Further alarms within an incident's span after its first: one event healed twice. */
  readonly repeats: number;
  /** Detected incidents whose kind was among the kinds reported in their span. */
  readonly kindAgreement: number;
  readonly latencySamples: { readonly p50: number; readonly p90: number };
  readonly byKind: Readonly<Record<IncidentKind, { incidents: number; detected: number; medianLatencySamples: number }>>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** Scores `alarms[k]` (the alarms raised on `fleet[k]`, in index order) against the fleet's incidents. */
export function scoreFleet(fleet: readonly FleetSeries[], alarms: readonly (readonly Alarm[])[]): FleetScore {
  let incidents = 0;
  let detected = 0;
  let counted = 0;
  let falseAlarms = 0;
  let repeats = 0;
  let kindAgreement = 0;
  let scoredSamples = 0;
  const latencies: number[] = [];
  const byKind = Object.fromEntries(INCIDENT_KINDS.map((k) => [k, { incidents: 0, detected: 0, latencies: [] as number[] }]));
  fleet.forEach((series, k) => {
    const learning = Math.ceil(LEARNING_FRACTION * series.values.length);
    scoredSamples += series.values.length - learning;
    const raised = (alarms[k] ?? []).filter((a) => a.index >= learning);
    counted += raised.length;
    const used = new Set<number>();
    for (const inc of series.incidents) {
      incidents++;
      const stats = byKind[inc.kind]!;
      stats.incidents++;
      const detectBy = inc.end + DETECT_GRACE_SAMPLES + (inc.kind === 'drift' ? inc.end - inc.start : 0);
      const spanEnd = inc.end + AFTERMATH_SAMPLES;
      const inSpan = raised.filter((a) => a.index >= inc.start && a.index < spanEnd);
      inSpan.forEach((a) => used.add(a.index));
      const first = inSpan[0];
      if (first && first.index < detectBy) {
        detected++;
        stats.detected++;
        latencies.push(first.index - inc.start);
        stats.latencies.push(first.index - inc.start);
        if (inSpan.some((a) => a.kind === inc.kind)) kindAgreement++;
        repeats += inSpan.length - 1;
      } else {
        repeats += inSpan.length;
      }
    }
    falseAlarms += raised.filter((a) => !used.has(a.index)).length;
  });
  const recall = incidents ? detected / incidents : 0;
  const precision = counted ? detected / counted : 0;
  latencies.sort((a, b) => a - b);
  return {
    incidents,
    detected,
    recall,
    precision,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    falseAlarmsPer10kSamples: scoredSamples ? (1e4 * falseAlarms) / scoredSamples : 0,
    falseAlarms,
    repeats,
    kindAgreement: detected ? kindAgreement / detected : 0,
    latencySamples: { p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9) },
    byKind: Object.fromEntries(Object.entries(byKind).map(([kind, s]) => [kind, {
      incidents: s.incidents, detected: s.detected,
      medianLatencySamples: percentile(s.latencies.sort((a, b) => a - b), 0.5),
    }])) as FleetScore['byKind'],
  };
}
