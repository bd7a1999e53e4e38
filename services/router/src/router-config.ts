/**
 * The router's variables, and their compilation into the decision core's {@link RouterConfig}. Every
 * value is checked at boot: a bad weight stops the process with ROUTER_WEIGHTS and the job class in
 * the message, not a decision later.
 */
import { ConfigError, decimal, integer, type Field } from '@maestro/runtime';
import type { RouterConfig, Weights } from './domain/index';
import { InvalidWeightsError, RouterConfigError, resolveRouterConfig } from './domain/index';

/** Weights per job class as configured; `default` applies to every class without its own entry. */
export type WeightsByClass = Readonly<Record<string, Partial<Weights>>>;

const CRITERIA_NAMES = new Set(['cost', 'latency', 'reliability', 'saturation']);

/** A JSON object of job class to partial weights, e.g. `{"default":{"cost":0.4},"batch":{"latency":0.1}}`. */
export function weightsField(env: string, doc: string): Field<WeightsByClass> {
  return {
    env,
    doc,
    defaultText: '{}',
    parse(raw) {
      const text = raw?.trim() || '{}';
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err: unknown) {
        throw new ConfigError(env, `is not JSON: ${(err as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(env, 'must be a JSON object of job class to weights');
      for (const [jobClass, weights] of Object.entries(parsed)) {
        if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) throw new ConfigError(env, `weights of job class "${jobClass}" must be an object`);
        for (const key of Object.keys(weights)) {
          if (!CRITERIA_NAMES.has(key)) throw new ConfigError(env, `job class "${jobClass}": unknown criterion "${key}" (expected cost, latency, reliability, saturation)`);
        }
      }
      return Object.freeze(parsed as WeightsByClass);
    },
  };
}

/** The router's own variables, beyond the base ones every service reads. */
export const routerConfigSpec = {
  weights: weightsField('ROUTER_WEIGHTS', 'Scoring weights per job class as JSON ({"default":{...},"batch":{...}}); missing criteria keep the default weight, then each class is normalised to sum 1'),
  maxAnomalySeverity: decimal('ROUTER_MAX_ANOMALY_SEVERITY', 'Assets under an open anomaly more severe than this are filtered out; milder ones are penalised', { default: 0.5, min: 0, max: 1 }),
  anomalyPenalty: decimal('ROUTER_ANOMALY_PENALTY', 'Subtracted from the score of an asset under a tolerated anomaly', { default: 0.2, min: 0 }),
  errorRateCeiling: decimal('ROUTER_ERROR_RATE_CEILING', 'Error rate at which the reliability score reaches 0', { default: 0.05, min: 0.000001, max: 1 }),
  missingMetricScore: decimal('ROUTER_MISSING_METRIC_SCORE', 'Score (0 to 1) of a criterion an asset reports no number for; the decision names it. Pessimistic by default: an unknown ranks below a middling known value', { default: 0.25, min: 0, max: 1 }),
  anomalyTtlMs: integer('ROUTER_ANOMALY_TTL_MS', 'How long an anomaly keeps its asset flagged after detection (the detector publishes no all-clear)', { default: 600_000, min: 1_000 }),
  fallbackCount: integer('ROUTER_FALLBACK_COUNT', 'Fallback assets from other failure domains per decision', { default: 3, min: 0, max: 20 }),
  windowSamples: integer('ROUTER_WINDOW_SAMPLES', 'Samples per asset in the rolling performance window (p95 latency, mean error rate)', { default: 20, min: 1, max: 10_000 }),
  windowMs: integer('ROUTER_WINDOW_MS', 'Samples older than this behind an asset\'s newest one leave its window', { default: 300_000, min: 1_000 }),
  telemetryLookbackMs: integer('ROUTER_TELEMETRY_LOOKBACK_MS', 'How far back a starting replica reads telemetry samples to rebuild the windows', { default: 600_000, min: 0 }),
  defaultCostCeiling: decimal('ROUTER_DEFAULT_COST_CEILING', 'Unit-cost ceiling of a job that names none (cost is scored against it)', { default: 1, min: 0.000001 }),
  defaultLatencyObjectiveMs: decimal('ROUTER_DEFAULT_LATENCY_OBJECTIVE_MS', 'Latency objective (p95) of a job that names none', { default: 250, min: 0.001 }),
  listedRejections: integer('ROUTER_LISTED_REJECTIONS', 'Rejected candidates listed by name in a decision record; the per-code counts are always complete', { default: 50, min: 0, max: 10_000 }),
};

/** Compiles the variables into the core's configuration, reporting a bad value by its variable. */
export function compileRouterConfig(c: {
  weights: WeightsByClass; maxAnomalySeverity: number; anomalyPenalty: number; errorRateCeiling: number; missingMetricScore: number;
  fallbackCount: number;
}): RouterConfig {
  const { default: defaultWeights, ...byClass } = c.weights;
  try {
    return resolveRouterConfig({
      ...(defaultWeights ? { defaultWeights } : {}), weightsByJobClass: byClass,
      maxAnomalySeverity: c.maxAnomalySeverity, anomalyPenalty: c.anomalyPenalty, errorRateCeiling: c.errorRateCeiling,
      missingMetricScore: c.missingMetricScore, fallbackCount: c.fallbackCount,
    });
  } catch (err: unknown) {
    if (err instanceof InvalidWeightsError) throw new ConfigError('ROUTER_WEIGHTS', err.message);
    if (err instanceof RouterConfigError) throw new ConfigError('ROUTER_*', err.message);
    throw err;
  }
}
