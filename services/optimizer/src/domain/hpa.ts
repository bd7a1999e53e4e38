/**
 * The Kubernetes HPA algorithm as pure functions:
 *
 *   desired = ceil(current × observed / target)   (no change while |observed/target − 1| ≤ tolerance)
 *
 * over several signals, taking the largest (one saturated dimension is enough to need capacity;
 * scale-in needs all of them low). Stabilisation: scale-up uses the MIN desired over its window (so
 * one spike cannot scale out, sustained load does) and scale-down the MAX over its window (so a dip
 * cannot scale in). Rate limits bound the change per period in each direction. Every window and
 * period is sample time, never a sample count.
 */
import type { OptimizerConfig } from './config';
import type { CustomSignal } from './sample';
import type { DesiredPoint, ScaleEvent } from './state';

/** One signal's pull: raw ratio to target and the weighted ratio that enters the max. */
export interface SignalRatio {
  readonly name: string;
  readonly ratio: number;
  readonly weighted: number;
}

/** Ratios of every signal at one sample: saturation, queue depth per replica, then custom ones. */
export function signalRatios(
  input: { saturation: number; queueDepth: number; replicas: number; signals: readonly CustomSignal[] }, cfg: OptimizerConfig,
): SignalRatio[] {
  const out: SignalRatio[] = [];
  const sat = input.saturation / cfg.targetSaturation;
  out.push({ name: 'saturation', ratio: sat, weighted: sat });
  if (cfg.queueDepthPerReplicaTarget > 0) {
    const q = input.queueDepth / input.replicas / cfg.queueDepthPerReplicaTarget;
    out.push({ name: 'queueDepth', ratio: q, weighted: q });
  }
  // Weight shrinks a custom signal's deviation from target toward 1 (no opinion), so a half-weight
  // signal at 3× target pulls like a full one at 2×, and a zero-weight one never drives the max.
  for (const s of input.signals) {
    const r = s.value / s.target;
    out.push({ name: s.name, ratio: r, weighted: 1 + s.weight * (r - 1) });
  }
  return out;
}

/** The HPA rule for one sample. `downTolerance` may be tighter than `tolerance` (cost pressure). */
export function hpaDesired(current: number, ratios: readonly SignalRatio[], tolerance: number, downTolerance = tolerance): { replicas: number; ratio: number; driver: string } {
  let ratio = -Infinity;
  let driver = 'none';
  for (const r of ratios) if (r.weighted > ratio) { ratio = r.weighted; driver = r.name; }
  if (ratio === -Infinity) return { replicas: current, ratio: 1, driver };
  const within = ratio >= 1 ? ratio - 1 <= tolerance : 1 - ratio <= downTolerance;
  // The epsilon keeps float noise (10 × 1.2 = 12.000000000000002) from adding a replica.
  return { replicas: within ? current : Math.max(1, Math.ceil(current * ratio - 1e-9)), ratio, driver };
}

/**
 * What set the scale-down ceiling: the long window's max (the HPA rule), the forecast's count (the
 * band's top at the target), or the short window's max (the forecast may not go below the counts
 * of the last `scaleDownForecastMs`), or the count last asked for while a scale-in waits
 * after the last one ({@link scaleInPause}).
 */
export type DownCeilingSource = 'window' | 'forecast' | 'recent' | 'pause';

/** The stabilised recommendation and the evidence behind it. */
export interface Stabilised {
  /** Min desired over the scale-up window (never null once a sample exists). */
  readonly upFloor: number | null;
  /** Max desired over the scale-down window, or null until that much history exists. */
  readonly downCeiling: number | null;
  /** What set `downCeiling` (null with it), and the long window's max (what it is when the window set it). */
  readonly downSource: DownCeilingSource | null;
  readonly downWindowMax: number | null;
  /**
   * The wait after a scale-in ({@link scaleInPause}) while it runs: until `untilMs` a scale-in by the
   * forecast goes no lower than the count last asked for. Null when none runs (no scale-in within the
   * wait, or the long window not seen yet).
   */
  readonly forecastPause: ScaleInPause | null;
  /** Samples the scale-up window held. */
  readonly upSamples: number;
  /** The long (scale-down) window's points once a whole window has been seen; empty before. */
  readonly longWindow: readonly DesiredPoint[];
  readonly replicas: number;
}

/**
 * The points a time window ending at `nowMs` holds: those taken inside it, and always the newest
 * (a sample describes the interval since the one before it, so at a cadence slower than the window
 * the newest sample alone covers it). This is what makes every window work at any sample interval:
 * there is no sample count to meet.
 */
export function inWindow<T extends { readonly atMs: number }>(points: readonly T[], nowMs: number, windowMs: number): T[] {
  const upToNow = points.filter((p) => p.atMs <= nowMs);
  const inside = upToNow.filter((p) => p.atMs > nowMs - windowMs);
  const newest = upToNow[upToNow.length - 1];
  return inside.length > 0 || newest === undefined ? inside : [newest];
}

/**
 * How far above the forecast's count the long window's largest need may be for a scale-in to be
 * lifted to that need's scale-out edge ({@link forecastCeiling}), in tolerance bands: within two
 * bands it is the load's wander; further above, a fall no one band absorbs, and the forecast's count
 * stands. Below about five replicas two bands are less than one replica, and a wander of one replica
 * is the rounding's own: there the reach is one replica (issue 11: at a capacity where the traces'
 * 99th-percentile second needs 5 replicas, 9 → 11 of 45 development rows ahead, 26 → 28 at 10).
 */
const SWING_BANDS = 2;
const SWING_REPLICAS = 1;

/** The unrounded need of a desired point (its count, for points stored before `need` was). */
export function needOf(p: DesiredPoint): number {
  return p.need ?? p.replicas;
}

/**
 * The scale-down ceiling the forecast allows: the band's top at the target, and no less than the
 * per-second noise the samples' means hide allows (`hold`, observe.ts `coveringReplicas`), never
 * below the short window's max; null without a forecast count (none yet, or the load is in a dip
 * far below its usual level) or when that count is above the current one (nothing to scale in).
 *
 * On a series whose samples are not noisy (`smooth`), a scale-in lands no lower than the count whose
 * scale-out edge (count × (1 + tolerance)) holds the largest need of the long window, when that need
 * is within {@link SWING_BANDS} bands of the forecast's count: a load that wanders by ±10 % over tens
 * of minutes would otherwise be scaled in at the trough, to a count the next crest scales out of
 * (issue 11: real EC2 CPU, 591 changes against the HPA rule's 334, 69 of 267 forecast scale-ins
 * undone within ten minutes). Where the samples are noisy the window's largest need is their noise,
 * not the load's wander, and lifting to it billed hours (docs/benchmarks.md, eleventh pass).
 * Below ten replicas (at the default tolerance), where one replica is more than the tolerance's share
 * of the count scaled in from, the lift goes to the largest need rounded up: the HPA rule's own window
 * max. There one replica less is a step the HPA rule itself would take, and a load that steps between
 * a few levels was followed down at each step and back up at the next (issue 11: real traffic speeds
 * at a capacity where the 99th-percentile second needs 5 replicas, speed_t4013 at 10 s 210 changes
 * against the HPA rule's 147; with it 150. Real series outside the table at that capacity: 32 of 42
 * ahead instead of 23; no row changes at 8, 10 or 20 replicas: docs/benchmarks.md, thirty-first pass).
 * (A noise cover from the HPA rule's counts and a hysteresis margin were swept in issue 11 and did
 * not hold up on held-out traces: docs/benchmarks.md.)
 */
function forecastCeiling(history: readonly DesiredPoint[], longWindow: readonly DesiredPoint[], current: number, nowMs: number, cfg: OptimizerConfig, smooth: boolean): { ceiling: number; source: DownCeilingSource } | null {
  const newest = history[history.length - 1];
  if (cfg.scaleDownForecastMs <= 0 || newest?.hold === undefined) return null;
  let hold = newest.hold;
  if (smooth) {
    const largest = Math.max(...longWindow.map(needOf));
    const edge = current * cfg.tolerance < 1 ? 1 : 1 + cfg.tolerance;
    // The epsilon keeps float noise (11 × 1.1 = 12.100000000000001) from adding a replica.
    if (largest <= Math.max(hold * (1 + cfg.tolerance) ** SWING_BANDS, hold + SWING_REPLICAS)) hold = Math.max(hold, Math.ceil(largest / edge - 1e-9));
  }
  if (hold > current) return null;
  const recent = Math.max(...inWindow(history, nowMs, Math.min(cfg.scaleDownForecastMs, cfg.scaleDownStabilizationMs)).map((p) => p.replicas));
  return recent > hold ? { ceiling: recent, source: 'recent' } : { ceiling: hold, source: 'forecast' };
}

/** The latest scale-in among `events`, which are appended in time order (publish.ts `acknowledge`). */
export function lastScaleIn(events: readonly ScaleEvent[]): ScaleEvent | undefined {
  return events.findLast((e) => e.to < e.from);
}

/** The wait after a scale-in ({@link scaleInPause}). */
export interface ScaleInPause {
  /** One horizon after the last scale-in (or {@link BELOW_USUAL_WAIT} of one): until then the forecast takes the count no lower than `floor`. */
  readonly untilMs: number;
  /** The count last asked for (the latest change's target). */
  readonly floor: number;
  /** Whether the wait is the longer one, the load being below its usual level. */
  readonly belowUsual: boolean;
}

/**
 * The wait after a scale-in, in horizons, while the load is below its usual level (observe.ts
 * `belowUsual`; one horizon otherwise). A load below where it usually runs tends to come back, as in
 * a dip (config.ts `scaleDownDipShare`), and the forecast's second step down, taken one horizon after
 * the first, came at the bottom of a short lull and was asked back within minutes: on a real EC2 CPU
 * series at 60 s samples whose load halves for ten minutes at a time, the optimiser made 4,605
 * changes (2,761 of them scale-outs) against the HPA rule's 3,830 (1,847); with the longer wait 2,945
 * (1,778), at 7,338 replica-hours instead of 7,287 (the HPA rule: 7,578). Its price is replica-hours
 * where the optimiser led by most: the table's ELB row at 60 s, −1.6 → −0.1 % against the HPA rule.
 * Two horizons put that row behind (+0.8 %); on every sample, above the usual level too, 1.5 and 2
 * horizons held the count high after the spikes of EC2 network-in 5abac7 (+4.4 and +8.1 % at 60 s;
 * docs/benchmarks.md, twenty-second pass).
 */
export const BELOW_USUAL_WAIT = 1.5;

/**
 * The wait after a scale-in: for one horizon after it (the startup delay plus one sample interval,
 * the time a count stands before a correction serves) a scale-in the forecast allows goes no lower
 * than the count last asked for; the long window's max (the HPA rule's own scale-in) still may. Null
 * without a scale-in among `events`. A falling load is otherwise followed down a step at every sample
 * whose fall passes the tolerance, each step taken before the last one's effect can be seen: the wait
 * merges them into fewer, larger ones. Where the load falls between two bursts the HPA rule's window
 * holds its count through the gap, while the forecast stepped down through it and back up (issue 11:
 * EC2 network-in 257a54 at 30 s, 7.2 scale-ins per fall against the HPA rule's 5.7, 4,208 changes
 * against 3,316; with the wait 2,919, at 2,043 replica-hours against the HPA rule's 2,236;
 * docs/benchmarks.md, fifteenth pass). The floor is the count asked for, not the current one, so that
 * while an actuator lags behind a scale-in the recommendation stays where it was instead of returning
 * to the current count. A fixed 60 s wait did not reach 60 s samples; half a horizon won fewer rows.
 * Below the load's usual level the wait is longer ({@link BELOW_USUAL_WAIT}).
 */
export function scaleInPause(events: readonly ScaleEvent[], horizonMs: number, belowUsual = false): ScaleInPause | null {
  const lastIn = lastScaleIn(events);
  return lastIn === undefined ? null : { untilMs: lastIn.atMs + horizonMs * (belowUsual ? BELOW_USUAL_WAIT : 1), floor: events[events.length - 1]!.to, belowUsual };
}

/**
 * Applies both stabilisation windows to the desired history at `nowMs`. `smooth`: the series' samples
 * are not noisy (their per-second noise is within the tolerance of the load), so the long window's
 * largest need is the load's own wander ({@link forecastCeiling}). `pause`: the wait after the last
 * scale-in ({@link scaleInPause}).
 */
export function stabilise(history: readonly DesiredPoint[], current: number, firstSampleAtMs: number, nowMs: number, cfg: OptimizerConfig, smooth = false, pause: ScaleInPause | null = null): Stabilised {
  const up = inWindow(history, nowMs, cfg.scaleUpStabilizationMs);
  const down = inWindow(history, nowMs, cfg.scaleDownStabilizationMs);
  const upFloor = up.length > 0 ? Math.min(...up.map((p) => p.replicas)) : null;
  // Scale-in waits until a whole window has been seen: before that, "max over the window" would be
  // a max over a few minutes of start-up and could shrink capacity the next minute needs.
  const longWindow = nowMs - firstSampleAtMs >= cfg.scaleDownStabilizationMs ? down : [];
  let downCeiling = longWindow.length > 0 ? Math.max(...longWindow.map((p) => p.replicas)) : null;
  let downSource: DownCeilingSource | null = downCeiling === null ? null : 'window';
  const downWindowMax = downCeiling;
  // The long window's max covers noise no single sample shows; when the forecast's band over the
  // next startup delay needs clearly less, the load has fallen, and the forecast's count is enough.
  const paused = downCeiling !== null && pause !== null && nowMs < pause.untilMs ? pause : null;
  let byForecast = downCeiling === null ? null : forecastCeiling(history, longWindow, current, nowMs, cfg, smooth);
  if (byForecast !== null && paused !== null && byForecast.ceiling < paused.floor) byForecast = { ceiling: paused.floor, source: 'pause' };
  if (downCeiling !== null && byForecast !== null && byForecast.ceiling < downCeiling) {
    downCeiling = byForecast.ceiling;
    downSource = byForecast.source;
  }
  let replicas = current;
  if (upFloor !== null && upFloor > current) replicas = upFloor;
  else if (downCeiling !== null && downCeiling < current) replicas = downCeiling;
  return { upFloor, downCeiling, downSource, downWindowMax, forecastPause: paused, upSamples: up.length, longWindow, replicas };
}

/** Bounds on the next replica count from the per-direction rate limits. */
export interface RateBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Rate limits, measured from the replica count at the start of the current period: the `from` of
 * the earliest change in that direction within the period, else the current count. Using the
 * published `from` (not current − changes) stays correct while the actuator lags behind.
 */
export function rateBounds(current: number, events: readonly ScaleEvent[], nowMs: number, cfg: OptimizerConfig): RateBounds {
  let upStart = current;
  let downStart = current;
  for (const e of events) {
    if (e.to > e.from && e.atMs > nowMs - cfg.scaleUpPeriodMs && e.from < upStart) upStart = e.from;
    if (e.to < e.from && e.atMs > nowMs - cfg.scaleDownPeriodMs && e.from > downStart) downStart = e.from;
  }
  const max = Math.max(Math.ceil(upStart * (1 + cfg.scaleUpMaxPercent)), upStart + cfg.scaleUpMaxPods);
  const min = Math.ceil(downStart * (1 - cfg.scaleDownMaxPercent));
  return { min: Math.min(min, current), max: Math.max(max, current) };
}
