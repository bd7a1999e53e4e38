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

/** The daily cycle of amplitude `amplitude` at `dayPhase` (0 = midnight): a sinusoid, or 09:00–17:00 raised. */
function dailyCycle(shape: 'sinusoid' | 'business-hours', amplitude: number, dayPhase: number): number {
  if (shape === 'sinusoid') return amplitude * Math.sin(2 * Math.PI * dayPhase);
  return dayPhase >= 9 / 24 && dayPhase < 17 / 24 ? amplitude : 0;
}

/** The incident-free value of `shape` at sample i, in noise stddevs around a level of 100. */
function shapeValue(shape: Shape, i: number, u: () => number, wander: { x: number }): number {
  const dayPhase = (i % SAMPLES_PER_DAY) / SAMPLES_PER_DAY;
  const e = normal(u);
  switch (shape) {
    case 'noise': return 100 + e;
    case 'sinusoid': return 100 + dailyCycle(shape, 8, dayPhase) + e;
    case 'business-hours': return 100 + dailyCycle(shape, 10, dayPhase) + e;
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

// Where a point event of the seasonal case goes, as a range of the day's phase: a spike near the
// cycle's crest, a drop near its trough, where the level is far from the series' mean. Within an
// hour of the sinusoid's extreme; at least an hour inside the business-hours plateau or the night.
const POINT_PHASES: Record<'sinusoid' | 'business-hours', Record<'spike' | 'drop', [number, number]>> = {
  sinusoid: { spike: [5 / 24, 7 / 24], drop: [17 / 24, 19 / 24] },
  'business-hours': { spike: [10 / 24, 16 / 24], drop: [18 / 24, 30 / 24] },
};
const SEASONAL_KINDS = ['spike', 'drop', 'drift'] as const;

/**
 * The seasonal case (issue 10): point events where a daily cycle is at its extreme, which the main
 * fleet seldom has (its spikes fall at any hour, and its cycles are small beside them). `seriesCount`
 * series alternating a daily sinusoid and business hours, of 10–30 noise stddevs of amplitude,
 * each with two or three incidents after the learning time: a spike near a crest, a drop near a
 * trough (the sample goes further the way the cycle already went), or, as the control, a drift at
 * any hour (a level that really moved). Sizes and durations as in {@link generateFleet}.
 */
export function generateSeasonalPointFleet(seed: number, seriesCount = 16, length = 4032): FleetSeries[] {
  const u = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * u();
  const fleet: FleetSeries[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const shape = s % 2 === 0 ? 'sinusoid' : 'business-hours';
    const amplitude = between(10, 30);
    const incidents: Incident[] = [];
    let from = Math.ceil(LEARNING_FRACTION * length);
    const count = 2 + Math.floor(u() * 2);
    for (let c = 0; c < count; c++) {
      const kind = SEASONAL_KINDS[Math.floor(u() * SEASONAL_KINDS.length)] as (typeof SEASONAL_KINDS)[number];
      const duration = Math.round(between(...DURATION[kind]));
      const phase = kind === 'drift' ? u() : between(...POINT_PHASES[shape][kind]);
      // The first such hour at or after `from`, or up to two days later.
      const day = Math.floor(from / SAMPLES_PER_DAY) + Math.floor(u() * 3);
      let start = Math.round((day + phase) * SAMPLES_PER_DAY);
      if (start < from) start += SAMPLES_PER_DAY;
      if (start + duration >= length) break;
      // A point event leaves the cycle's own range (half to one and a half amplitudes past the
      // extreme it is at), or no detector could be asked to see it; a drift is sized as in the fleet.
      const sizeStd = kind === 'drift' ? between(...SIZE_STD[kind]) : between(0.5, 1.5) * amplitude;
      incidents.push({ kind, start, end: start + duration, sizeStd });
      from = start + duration + MIN_GAP_SAMPLES;
    }
    const values: number[] = [];
    const timestampsMs: number[] = [];
    for (let i = 0; i < length; i++) {
      let v = 100 + dailyCycle(shape, amplitude, (i % SAMPLES_PER_DAY) / SAMPLES_PER_DAY) + normal(u);
      for (const inc of incidents) v += incidentOffset(inc, i);
      values.push(v);
      timestampsMs.push(START_MS + i * SAMPLE_INTERVAL_MS);
    }
    fleet.push({ name: `seasonal-${shape}-${s}`, shape, timestampsMs, values, incidents });
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
  /** Per kind of incident; `kindRight` counts the detected ones whose kind was among those reported in their span. */
  readonly byKind: Readonly<Record<IncidentKind, { incidents: number; detected: number; kindRight: number; medianLatencySamples: number }>>;
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
  const byKind = Object.fromEntries(INCIDENT_KINDS.map((k) => [k, { incidents: 0, detected: 0, kindRight: 0, latencies: [] as number[] }]));
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
        if (inSpan.some((a) => a.kind === inc.kind)) {
          kindAgreement++;
          stats.kindRight++;
        }
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
      incidents: s.incidents, detected: s.detected, kindRight: s.kindRight,
      medianLatencySamples: percentile(s.latencies.sort((a, b) => a - b), 0.5),
    }])) as FleetScore['byKind'],
  };
}
