/**
 * The optimiser's extension point: a load signal computed from each telemetry sample and fed into
 * the same scaling decision as the built-in ones (like the HPA's custom metrics). A value above
 * target asks for more replicas, below target allows fewer.
 */

/** The telemetry sample a signal is computed from. */
export interface SignalSample {
  readonly assetId: string;
  readonly timestampMs: number;
  /** Canonical metric name to value; a metric the asset did not send is absent. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly region: string | null;
  readonly provider: string | null;
}

/** One reading of a signal; `null` when the signal says nothing about this sample. */
export interface SignalReading {
  /** Observed value, per replica; finite, >= 0. */
  readonly value: number;
  /** Value per replica the operator wants; > 0. */
  readonly target: number;
  /** How strongly it pulls, in [0, 1]; 0 records it without acting on it. @default 1 */
  readonly weight?: number;
}

/** A user-defined load signal. */
export interface OptimisationSignal {
  /** Named `<plugin>/<name>` in recommendations and their audit records. */
  readonly name: string;
  /** May do I/O (ask a queue for its depth); it is called with a deadline. */
  measure(sample: SignalSample, ctx: { readonly signal: AbortSignal }): SignalReading | null | Promise<SignalReading | null>;
}
