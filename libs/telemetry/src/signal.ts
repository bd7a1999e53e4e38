import type { Metrics } from './metrics';
import type { ValidationError } from './errors';

/**
 * A health signal as producers send it (JSON over HTTP, or an Avro record on the ingest topic).
 * Everything is `unknown` until `validateSignal` has looked at it.
 */
export interface RawHealthSignal {
  readonly timestampMs?: unknown;
  readonly assetId?: unknown;
  /** Metric name (canonical or alias) to number; `null` means "not measured" and is dropped. */
  readonly metrics?: unknown;
  readonly region?: unknown;
  readonly provider?: unknown;
  readonly labels?: unknown;
}

/**
 * A validated, normalised health signal: canonical metric names and units, region and provider in
 * lower case, labels always present. Plain JSON, so it can be re-published and kept in Redis as is.
 */
export interface HealthSignal {
  /** Producer event time, epoch milliseconds. */
  readonly timestampMs: number;
  readonly assetId: string;
  /** Only the metrics the producer measured: an absent metric stays absent, never 0. */
  readonly metrics: Metrics;
  readonly region?: string;
  readonly provider?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The outcome of `validateSignal`. */
export type ValidationResult =
  | { readonly ok: true; readonly signal: HealthSignal }
  | { readonly ok: false; readonly errors: readonly ValidationError[] };
