/**
 * The optimiser's per-asset state: compact, bounded and plain JSON, because it is kept in Redis
 * between samples. Every collection has a bound (rings by `windowSize`, histories by time and count).
 */
import type { DecayingHistogram } from './decaying-histogram';
import type { ForecastState } from './forecast';
import type { Ring } from './ring';

/** Rolling series kept per asset. */
export const SERIES = ['latencyP50Ms', 'latencyP95Ms', 'throughputPerS', 'unitCost', 'saturation', 'queueDepth'] as const;

/** One rolling series name. */
export type SeriesName = (typeof SERIES)[number];

/** The count the forecast asked for at one sample, unclamped, kept for the stabilisation windows. */
export interface DesiredPoint {
  readonly atMs: number;
  readonly replicas: number;
  /** The unrounded count (forecast at target), which the tolerance is judged on. */
  readonly need?: number;
  /** The least of it the forecast band's top requires (the rest is the target's comfort margin). */
  readonly required?: number;
  /** The count the forecast's upper band over the horizon needs at the target utilisation; absent in a dip (observe.ts `coveringReplicas`). */
  readonly hold?: number;
  /** Combined (max) weighted ratio to target (the HPA rule's view) at that sample. */
  readonly ratio: number;
}

/** A published replica change, kept for the per-period rate limits and the wait after a scale-in (hpa.ts `scaleInPause`). */
export interface ScaleEvent {
  readonly atMs: number;
  readonly from: number;
  readonly to: number;
}

/** What was last published: the identity used to publish on change only. */
export interface PublishedKey {
  readonly action: string;
  readonly targetReplicas: number;
  readonly targetSizeUnits: number;
  readonly atMs: number;
}

/** The latest value of a custom signal, for rationales. */
export interface SignalReading {
  readonly name: string;
  readonly value: number;
  readonly target: number;
  readonly weight: number;
  readonly atMs: number;
}

/** Bumped whenever the shape or meaning of the stored state changes; a state of another version is discarded. */
export const OPTIMIZER_STATE_VERSION = 6;

/** Everything the optimiser remembers about one asset. `v` versions the JSON layout. */
export interface OptimizerState {
  readonly v: typeof OPTIMIZER_STATE_VERSION;
  readonly assetId: string;
  readonly sampleCount: number;
  readonly firstSampleAtMs: number;
  readonly lastSampleAtMs: number;
  readonly replicas: number;
  readonly sizeUnits: number;
  readonly series: Readonly<Record<SeriesName, Ring>>;
  /** Sample times of the rolling series (same ring layout): time windows over the series. */
  readonly sampleTimes: Ring;
  /** The load forecaster (forecast.ts): bounded seasonal profiles, error histogram, pending checks. */
  readonly forecast: ForecastState;
  /** Per-replica usage (saturation × size) in a decaying histogram: the right-sizing evidence. */
  readonly usage: DecayingHistogram;
  readonly desired: readonly DesiredPoint[];
  readonly scaleEvents: readonly ScaleEvent[];
  readonly signals: readonly SignalReading[];
  readonly published: PublishedKey | null;
  /**
   * For samples without a ready count: the belief, in [0, 1], that the asset's utilisation is the
   * mean over its serving replicas rather than over every running one (ready-count.ts).
   */
  readonly saturationOverServing: number;
}

/** Desired points kept at most, whatever the sample rate: bounds the state in Redis. @default 512 */
export const MAX_DESIRED_POINTS = 512;
