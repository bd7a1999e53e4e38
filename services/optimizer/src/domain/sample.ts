/** What the optimiser learns from: one telemetry sample for one asset, plus user-defined signals. */

/**
 * A user-defined signal fed into the same scaling decision as the built-in ones, e.g. an external
 * queue's depth per replica or power draw per replica. Signals are load signals: a value above
 * target asks for more replicas, below target allows fewer, exactly like the HPA's custom metrics.
 */
export interface CustomSignal {
  readonly name: string;
  /** Observed value, per replica. */
  readonly value: number;
  /** Value per replica the operator wants; must be > 0. */
  readonly target: number;
  /**
   * How strongly the signal pulls, in [0, 1]: the signal's ratio to target is shrunk toward 1 by
   * this factor, so 1 is full HPA semantics and 0 records the signal without acting on it.
   */
  readonly weight: number;
}

/** One observation of an asset. */
export interface OptimizationSample {
  readonly assetId: string;
  readonly atMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  /** Units of work completed per second across all replicas. */
  readonly throughputPerS: number;
  /** Cost of one unit of work over the sample's interval. */
  readonly unitCost: number;
  /** Mean utilisation of the allocated size across replicas, in [0, 1]. */
  readonly saturation: number;
  /** Work waiting, across all replicas. */
  readonly queueDepth: number;
  /** Replicas running when the sample was taken (serving or starting); >= 1. */
  readonly replicas: number;
  /**
   * Of those, the replicas serving, which `saturation` is the mean utilisation of; in [0, replicas].
   * When absent, the core works it out from its own recent scale-outs (ready-count.ts).
   */
  readonly readyReplicas?: number;
  /** Allocated size per replica (e.g. vCPU); what `right_size` recommends. */
  readonly sizeUnits: number;
  /** User-defined signals. @default [] */
  readonly signals?: readonly CustomSignal[];
}

/** Thrown for a sample that cannot be used; adapters dead-letter it (retrying cannot fix it). */
export class InvalidSampleError extends Error {
  override readonly name = 'InvalidSampleError';
}

/** Returns every problem with a sample, or an empty list. */
export function validateSample(s: OptimizationSample): string[] {
  const errors: string[] = [];
  const nonNegative = ['atMs', 'latencyP50Ms', 'latencyP95Ms', 'throughputPerS', 'unitCost', 'queueDepth'] as const;
  for (const k of nonNegative) if (!(Number.isFinite(s[k]) && s[k] >= 0)) errors.push(`${k} must be a finite number >= 0, got ${s[k]}`);
  if (!(Number.isFinite(s.saturation) && s.saturation >= 0 && s.saturation <= 1)) errors.push(`saturation must be in [0, 1], got ${s.saturation}`);
  if (!(Number.isInteger(s.replicas) && s.replicas >= 1)) errors.push(`replicas must be an integer >= 1, got ${s.replicas}`);
  if (s.readyReplicas !== undefined && !(Number.isInteger(s.readyReplicas) && s.readyReplicas >= 0 && s.readyReplicas <= s.replicas)) {
    errors.push(`readyReplicas must be an integer in [0, replicas], got ${s.readyReplicas}`);
  }
  if (!(Number.isFinite(s.sizeUnits) && s.sizeUnits > 0)) errors.push(`sizeUnits must be > 0, got ${s.sizeUnits}`);
  for (const g of s.signals ?? []) {
    if (!(Number.isFinite(g.value) && g.value >= 0)) errors.push(`signal ${g.name}: value must be a finite number >= 0`);
    if (!(Number.isFinite(g.target) && g.target > 0)) errors.push(`signal ${g.name}: target must be > 0`);
    if (!(Number.isFinite(g.weight) && g.weight >= 0 && g.weight <= 1)) errors.push(`signal ${g.name}: weight must be in [0, 1]`);
  }
  return errors;
}
