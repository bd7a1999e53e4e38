/**
 * A routing candidate: one asset from the live registry, with the performance view the telemetry
 * pipeline keeps for it. These are the shapes adapters hand to the router core; the core compiles
 * them once into a {@link CandidatePool} so that a decision does no string work per candidate.
 */

/** Lifecycle states of a registry asset. Only `active` assets can receive work. */
export const ASSET_STATUSES = ['active', 'stale', 'removed'] as const;

/** Lifecycle state of a registry asset. */
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** What telemetry currently says about an asset. All rates and fractions are in [0, 1]. */
export interface PerformanceView {
  /** Recent 95th percentile latency, milliseconds. */
  readonly latencyP95Ms: number;
  /** Recent fraction of failed requests, in [0, 1]. */
  readonly errorRate: number;
  /** Cost of one unit of work on this asset, in the job's cost currency. */
  readonly unitCost: number;
  /** Fraction of capacity in use, in [0, 1]. */
  readonly saturation: number;
  /** Whether the anomaly detector has an open anomaly on this asset. */
  readonly anomalyActive: boolean;
  /** Severity of the open anomaly in [0, 1]; ignored when `anomalyActive` is false. */
  readonly anomalySeverity: number;
}

/** One asset as the registry and telemetry describe it. */
export interface AssetCandidate {
  readonly assetId: string;
  readonly provider: string;
  readonly region: string;
  readonly capabilities: readonly string[];
  readonly complianceTags: readonly string[];
  readonly status: AssetStatus;
  readonly performance: PerformanceView;
}

/** Numeric codes for {@link AssetStatus}, stored in the pool's typed arrays. */
export const STATUS_CODE: Readonly<Record<AssetStatus, number>> = Object.freeze({ active: 0, stale: 1, removed: 2 });
