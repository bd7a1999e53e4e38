/**
 * How many of a sample's replicas serve, when the sample does not say (no `readyReplicas`). The load
 * is utilisation × the replicas it is the mean over, so the count matters where replicas are
 * starting: right after a scale-out. Two conventions are common among producers and simulators:
 * utilisation over the replicas serving (the telemetry contract's, docs/telemetry.md), and over every
 * replica running, the starting ones idle. Read with the wrong one, the load is off by the scale-out's
 * factor for a startup delay. The first convention needs the starting replicas subtracted, which the
 * optimiser can count from its own scale-outs ({@link startingReplicas}); the second needs nothing.
 * Which one an asset follows shows at the first sample that runs a scale-out's new count
 * ({@link judgeSaturationOverServing}). Pure.
 *
 * Issue 11, the replay table's traces at 20 replicas without the ready count (docs/benchmarks.md,
 * thirty-third pass; 39 of 45 rows ahead of the HPA rule with it): utilisation over the serving
 * replicas, read as over all of them, 2 rows ahead; with this module 38. Utilisation over all
 * replicas: 31 rows, with this module or without; with the starting replicas always subtracted, 12.
 */
import type { OptimizerConfig } from './config';
import type { OptimizationSample } from './sample';
import type { ScaleEvent } from './state';

/**
 * Of a sample's replicas, those still starting by the optimiser's own account: what its scale-outs
 * of the last startup delay added, less what later scale-ins took back (a scale-in removes starting
 * replicas first), and no more than the count has grown since before them (an actuator that has not
 * applied a scale-out starts nothing). At least one replica is taken to serve.
 */
export function startingReplicas(events: readonly ScaleEvent[], replicas: number, nowMs: number, startupMs: number): number {
  const recent = events.filter((e) => e.atMs <= nowMs && e.atMs >= nowMs - startupMs);
  if (recent.length === 0) return 0;
  let starting = 0;
  for (const e of recent) starting = e.to > e.from ? starting + (e.to - e.from) : Math.max(0, starting - (e.from - e.to));
  return Math.max(0, Math.min(starting, replicas - recent[0]!.from, replicas - 1));
}

/**
 * Weight of one scale-out's reading in the belief. From undecided (0.5) the first reading decides;
 * what two readings agree on, one odd reading does not overturn.
 */
const READING_WEIGHT = 0.35;
/** The least growth a scale-out must have for its reading to count: one replica more than ten. */
const MIN_READ_GROWTH = 1.1;

/** The sample before the one judged: its time, replicas, utilisation and throughput. */
export interface PreviousReading {
  readonly atMs: number;
  readonly replicas: number;
  readonly saturation: number;
  readonly throughputPerS: number;
}

/**
 * The belief, in [0, 1], that an asset's utilisation is the mean over its serving replicas (1) rather
 * than over every running one (0), updated by `sample` when it is the first to run the R1 replicas of
 * a scale-out from R0 (its previous sample ran R0), with no earlier scale-out's replicas still
 * starting, and both it and the sample before carry throughput.
 * Throughput over utilisation is the capacity of the replicas the mean is over, whatever the load
 * does. In the one sample interval between, the new replicas do not serve yet: over serving replicas
 * that capacity stays; over all of them it grows by R1/R0. The reading is where it moved, between
 * those two, clamped to [0, 1]. (Utilisation alone cannot tell: a scale-out comes with a rising load,
 * which moves utilisation as much as the convention does.)
 */
export function judgeSaturationOverServing(belief: number, events: readonly ScaleEvent[], previous: PreviousReading, sample: OptimizationSample, startupMs: number): number {
  if (sample.readyReplicas !== undefined) return belief;
  const last = events[events.length - 1];
  // The first sample at the count the latest scale-out asked for, its previous one still at the old
  // count: right after the scale-out, or later where the actuator lagged.
  if (last === undefined || last.atMs > previous.atMs || last.from !== previous.replicas || last.to !== sample.replicas) return belief;
  // An earlier scale-out's replicas may have come to serve in either sample's interval and moved the
  // capacity (they serve one startup delay after it, give or take a second).
  const intervalMs = sample.atMs - previous.atMs;
  if (events.some((e) => e !== last && e.to > e.from && e.atMs >= previous.atMs - startupMs - intervalMs)) return belief;
  const growth = last.to / last.from;
  if (growth < MIN_READ_GROWTH || !(previous.saturation > 0 && sample.saturation > 0 && previous.throughputPerS > 0 && sample.throughputPerS > 0)) return belief;
  const grew = Math.log((sample.throughputPerS / sample.saturation) / (previous.throughputPerS / previous.saturation)) / Math.log(growth);
  return belief + READING_WEIGHT * (1 - Math.min(1, Math.max(0, grew)) - belief);
}

/**
 * The belief before any reading: undecided, which reads as over the serving replicas (the telemetry
 * contract's convention), so that the first reading decides: where throughput is exact, as in a
 * simulator, it is right. Starting at 1 instead, two readings were needed to leave it; with
 * utilisation over all replicas that won one row and lost one (issue 11: docs/benchmarks.md,
 * thirty-third pass).
 */
export const UNDECIDED = 0.5;

/** The replicas serving at a sample without a ready count, by the asset's convention as judged so far. */
export function servingReplicas(sample: OptimizationSample, events: readonly ScaleEvent[], overServing: number, cfg: OptimizerConfig): number {
  return overServing >= UNDECIDED ? sample.replicas - startingReplicas(events, sample.replicas, sample.atMs, cfg.startupMs) : sample.replicas;
}
