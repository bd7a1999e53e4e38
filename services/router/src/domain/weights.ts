/** Scoring weights per job class, validated once when the router configuration is resolved. */

/** Relative importance of each scoring criterion. Resolved weights are non-negative and sum to 1. */
export interface Weights {
  readonly cost: number;
  readonly latency: number;
  readonly reliability: number;
  readonly saturation: number;
}

/** The scoring criteria, in the order breakdowns and reasoning strings list them. */
export const CRITERIA = ['cost', 'latency', 'reliability', 'saturation'] as const;

/** One scoring criterion. */
export type Criterion = (typeof CRITERIA)[number];

/**
 * Weights used for any job class without an override.
 * @default { cost: 0.3, latency: 0.3, reliability: 0.25, saturation: 0.15 }
 */
export const DEFAULT_WEIGHTS: Weights = Object.freeze({ cost: 0.3, latency: 0.3, reliability: 0.25, saturation: 0.15 });

/** Thrown when configured weights are unusable; the message names the job class and criterion. */
export class InvalidWeightsError extends Error {
  override readonly name = 'InvalidWeightsError';
}

/** Returns weights for a job class; never throws once constructed. */
export type WeightResolver = (jobClass: string) => Weights;

/**
 * Validates and normalises weights. Missing criteria take the default weight, so an override of
 * `{ cost: 0.6 }` means "cost matters about twice as much as usual", not "only cost matters".
 * Normalising to a sum of 1 keeps totals comparable across job classes and within [0, 1].
 */
export function normaliseWeights(partial: Partial<Weights>, label: string, base: Weights = DEFAULT_WEIGHTS): Weights {
  const merged = { ...base, ...partial };
  let sum = 0;
  for (const c of CRITERIA) {
    const w = merged[c];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new InvalidWeightsError(`weights for ${label}: ${c} must be a finite number >= 0, got ${String(w)}`);
    }
    sum += w;
  }
  if (sum <= 0) throw new InvalidWeightsError(`weights for ${label}: at least one criterion must have a positive weight`);
  return Object.freeze({
    cost: merged.cost / sum,
    latency: merged.latency / sum,
    reliability: merged.reliability / sum,
    saturation: merged.saturation / sum,
  });
}

/**
 * Compiles per-class overrides into a resolver. Every class is validated here, at boot, so a bad
 * weight stops the service with the class name in the message rather than failing a decision later.
 */
export function createWeightResolver(
  byJobClass: Readonly<Record<string, Partial<Weights>>> = {},
  defaults: Partial<Weights> = DEFAULT_WEIGHTS,
): WeightResolver {
  const fallback = normaliseWeights(defaults, 'default');
  const table = new Map<string, Weights>();
  for (const [jobClass, partial] of Object.entries(byJobClass)) {
    table.set(jobClass, normaliseWeights(partial, `job class "${jobClass}"`, fallback));
  }
  return (jobClass) => table.get(jobClass) ?? fallback;
}
