/**
 * What the healer decides about: an anomaly from the detector, and the context the adapter loads
 * for its asset. Plain data, so a decision can be replayed from the audit log.
 */

import { anomalyKindSymbols, type AnomalyKind } from '@maestro/contracts';

/** The kinds of anomaly the healer answers: the Avro enum of the anomalies topic. */
export const ANOMALY_KINDS = anomalyKindSymbols;
export type { AnomalyKind };

/**
 * The part of the detector's evidence the healer reads: it is enough to say what "recovered" means
 * (back within a few standard deviations of the baseline). Other evidence fields pass through to
 * runbooks and the audit record untouched.
 */
export interface AnomalyEvidence {
  /** (value - baseline mean) / baseline stddev; its sign says whether the metric went up or down. */
  readonly zScore: number;
  readonly baselineMean: number;
  readonly baselineStd: number;
}

/** An anomaly as the healer consumes it. */
export interface Anomaly {
  /** Unique per anomaly; with the ladder step it forms the dedupe key, so it must be stable on redelivery. */
  readonly anomalyId: string;
  readonly assetId: string;
  /** Canonical metric name, e.g. `latency_ms`. */
  readonly metric: string;
  readonly kind: AnomalyKind;
  /** How bad, in [0, 1]. */
  readonly severity: number;
  readonly evidence: AnomalyEvidence;
  readonly detectedAtMs: number;
  /** The asset's owner, carried onto every action taken for it; absent or null when unknown (actions tracked before tenants existed). */
  readonly tenant?: string | null;
}

/** What the registry knows about the asset. */
export interface AssetInfo {
  readonly assetId: string;
  readonly region?: string;
  readonly provider?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One earlier intervention on the asset, as the adapter recorded it. */
export interface Intervention {
  readonly dedupeKey: string;
  readonly anomalyId: string;
  readonly strategy: string;
  readonly metric: string;
  readonly startedAtMs: number;
  readonly result: 'in_progress' | 'recovered' | 'failed';
}

/** Everything about the asset a decision may depend on, loaded by the adapter before `decide`. */
export interface HealingContext {
  readonly asset: AssetInfo;
  /** Recent interventions on this asset, any order; the adapter bounds how far back. */
  readonly history: readonly Intervention[];
}
