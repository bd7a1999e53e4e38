/** Router configuration, resolved once at boot into a frozen object with the weights compiled. */
import type { WeightResolver, Weights } from './weights';
import { DEFAULT_WEIGHTS, createWeightResolver } from './weights';

/** Configuration as supplied by the service; every field is optional. */
export interface RouterConfigInput {
  /** @default {@link DEFAULT_WEIGHTS} */
  readonly defaultWeights?: Partial<Weights>;
  /** Overrides per job class, merged over the defaults. @default {} */
  readonly weightsByJobClass?: Readonly<Record<string, Partial<Weights>>>;
  /**
   * Anomalies with a severity above this are a hard filter; at or below it they are penalised.
   * @default 0.5
   */
  readonly maxAnomalySeverity?: number;
  /**
   * Subtracted from the total of an asset with an active (tolerated) anomaly. Weights sum to 1, and
   * typical margins between good assets are a few hundredths, so 0.2 reliably pushes such an asset
   * below healthy peers while still letting it serve when it is the only one left.
   * @default 0.2
   */
  readonly anomalyPenalty?: number;
  /** Error rate at which the reliability score reaches 0. @default 0.05 */
  readonly errorRateCeiling?: number;
  /**
   * Score in [0, 1] of a criterion the asset reports no number for. Most agents report only some
   * metrics; excluding them would refuse every job for their fleet. 0.25 is neutral-pessimistic: an
   * unknown is worse than a middling known value (0.5 is a latency exactly at the objective), so a
   * well-measured good asset wins, but a partially measured one still serves.
   * @default 0.25
   */
  readonly missingMetricScore?: number;
  /** How many fallbacks to return. @default 3 */
  readonly fallbackCount?: number;
  /** Totals closer than this are a tie, so float noise never decides a route. @default 1e-9 */
  readonly tieEpsilon?: number;
}

/** Fully resolved router configuration. */
export interface RouterConfig {
  readonly weightsFor: WeightResolver;
  readonly maxAnomalySeverity: number;
  readonly anomalyPenalty: number;
  readonly errorRateCeiling: number;
  readonly missingMetricScore: number;
  readonly fallbackCount: number;
  readonly tieEpsilon: number;
}

/** Thrown at boot when a router setting is unusable; the message names the setting. */
export class RouterConfigError extends Error {
  override readonly name = 'RouterConfigError';
}

function check(name: string, value: number, ok: (v: number) => boolean, expectation: string): number {
  if (!Number.isFinite(value) || !ok(value)) throw new RouterConfigError(`${name} must be ${expectation}, got ${value}`);
  return value;
}

/** Resolves and validates configuration. Throws {@link RouterConfigError} or `InvalidWeightsError`. */
export function resolveRouterConfig(input: RouterConfigInput = {}): RouterConfig {
  return Object.freeze({
    weightsFor: createWeightResolver(input.weightsByJobClass ?? {}, input.defaultWeights ?? DEFAULT_WEIGHTS),
    maxAnomalySeverity: check('maxAnomalySeverity', input.maxAnomalySeverity ?? 0.5, (v) => v >= 0 && v <= 1, 'in [0, 1]'),
    anomalyPenalty: check('anomalyPenalty', input.anomalyPenalty ?? 0.2, (v) => v >= 0, '>= 0'),
    errorRateCeiling: check('errorRateCeiling', input.errorRateCeiling ?? 0.05, (v) => v > 0 && v <= 1, 'in (0, 1]'),
    missingMetricScore: check('missingMetricScore', input.missingMetricScore ?? 0.25, (v) => v >= 0 && v <= 1, 'in [0, 1]'),
    fallbackCount: check('fallbackCount', input.fallbackCount ?? 3, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0'),
    tieEpsilon: check('tieEpsilon', input.tieEpsilon ?? 1e-9, (v) => v >= 0, '>= 0'),
  });
}
