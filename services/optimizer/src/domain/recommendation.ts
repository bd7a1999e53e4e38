/** The optimiser's output: one recommendation per asset, with the numbers behind it. */
import type { Seasonality } from './forecast';
import type { SignalRatio } from './hpa';

/** What the optimiser can recommend. */
export const ACTIONS = ['scale_out', 'scale_in', 'right_size', 'rebalance', 'hold'] as const;

/** A recommended action. */
export type Action = (typeof ACTIONS)[number];

/** The numbers a recommendation was derived from; published with it so operators can check it. */
export interface Evidence {
  readonly samples: number;
  readonly historyConfidence: number;
  /** Combined weighted ratio to target at the latest sample, and the signal that set it. */
  readonly combinedRatio: number;
  readonly driver: string;
  readonly signals: readonly SignalRatio[];
  /** HPA desired count at the latest sample, before stabilisation, limits and bounds. */
  readonly rawDesiredReplicas: number;
  readonly upFloor: number | null;
  readonly downCeiling: number | null;
  readonly rateLimitMin: number;
  readonly rateLimitMax: number;
  readonly saturationMean: number;
  readonly latencyP95Ms: number;
  readonly throughputPerS: number;
  readonly unitCost: number;
  /** Unit cost if the target replica count served the same throughput (cost scales with replicas). */
  readonly projectedUnitCost: number;
  readonly usagePercentile: number;
  readonly recommendedSizeUnits: number;
  /** Load at the latest sample, in replicas' worth of work (utilisation × serving replicas). */
  readonly load: number;
  /** Peak load forecast over the horizon, and its band at `forecastQuantile` (same unit). */
  readonly forecastLoad: number;
  readonly forecastLower: number;
  readonly forecastUpper: number;
  /** The horizon: one startup delay plus one sample interval. */
  readonly forecastHorizonMs: number;
  readonly forecastQuantile: number;
  /** The seasonal profile the forecast used: none until the history supports one. */
  readonly seasonality: Seasonality;
  /** 1 when the latest sample rose above the previous forecast's band (a burst), else 0. */
  readonly burst: number;
  /**
   * The per-second noise a sample's mean hides at the forecast's load, learnt from the series
   * (same unit as `load`); a forecast scale-in keeps `scaleDownNoiseDeviations` of it as cover.
   */
  readonly perSecondDeviation: number;
  /** The median load of the last hours (same unit as `load`): the level the series usually runs at. */
  readonly usualLoad: number;
  /** 1 when the load is in a dip far below `usualLoad` (no forecast scale-in: the long window's max applies), else 0. */
  readonly dip: number;
  /** 1 while the load's trend climbs at a steady pace (no forecast scale-in: the long window's max applies), else 0. */
  readonly rising: number;
  /**
   * 1 when the samples' own noise dominates the series (a sample is mostly the noise of its seconds):
   * the forecast stands on the level, and neither `dip` nor `rising` is read from a sample; else 0.
   */
  readonly noiseDominated: number;
}

/** One recommendation for one asset. */
export interface Recommendation {
  readonly assetId: string;
  readonly atMs: number;
  readonly action: Action;
  readonly currentReplicas: number;
  readonly targetReplicas: number;
  readonly currentSizeUnits: number;
  readonly targetSizeUnits: number;
  /** In [0, 1]: history confidence times the agreement of the evidence window. */
  readonly confidence: number;
  readonly rationale: string;
  readonly evidence: Evidence;
}
