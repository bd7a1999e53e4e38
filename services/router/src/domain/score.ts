/**
 * Weighted scoring over normalised criteria, each in [0, 1] where 1 is best.
 *
 * Normalisation is against the job's own references (its cost ceiling, its latency objective) and
 * fixed configuration (the error-rate ceiling), never against the candidate set's min/max. A
 * candidate's score therefore depends only on that candidate and the job: adding or removing an
 * unrelated asset can never reorder two others, and a score means the same thing across decisions.
 * The price is that scores do not stretch to fill [0, 1] when all candidates are similar; ties are
 * then settled by `ranking.ts`.
 */
import type { CandidatePool } from './candidate-pool';
import { MISSING_BIT } from './candidate-pool';
import type { RouterConfig } from './config';
import type { Criterion, Weights } from './weights';
import { CRITERIA } from './weights';

/** Cost: 1 when free, 0 at the ceiling (anything above was filtered), linear in between. */
export function costScore(unitCost: number, ceiling: number): number {
  return Math.max(0, 1 - unitCost / ceiling);
}

/**
 * Latency: objective / (objective + p95). 1 at zero latency, 0.5 exactly at the objective, 1/3 at
 * twice the objective. Bounded and smooth, so an asset above objective is disfavoured but not
 * excluded: the objective is a soft SLO, not a constraint.
 */
export function latencyScore(p95Ms: number, objectiveMs: number): number {
  return objectiveMs / (objectiveMs + p95Ms);
}

/**
 * Reliability: 1 with no errors, 0 at the error-rate ceiling, scaled down further by the severity of
 * a tolerated anomaly (an anomaly of severity 0.4 keeps 60 % of the score). `severity < 0` = none.
 */
export function reliabilityScore(errorRate: number, errorRateCeiling: number, severity: number): number {
  return withAnomaly(Math.max(0, 1 - errorRate / errorRateCeiling), severity);
}

/** A reliability score scaled down by a tolerated anomaly's severity; `severity < 0` = none. */
function withAnomaly(base: number, severity: number): number {
  return severity < 0 ? base : base * (1 - severity);
}

/** Saturation: free capacity, linear, so the number in a breakdown reads as "share of headroom". */
export function saturationScore(saturation: number): number {
  return 1 - saturation;
}

/** One criterion in a breakdown: the raw input, its normalised score, weight and contribution. */
export interface CriterionScore {
  /** The asset's number; NaN when it reports none (the score is then the missing-metric score). */
  readonly raw: number;
  /** False when the asset reports no number for this criterion. */
  readonly known: boolean;
  readonly score: number;
  readonly weight: number;
  readonly contribution: number;
}

/** The full explanation of one candidate's total. */
export interface ScoreBreakdown {
  readonly criteria: Readonly<Record<Criterion, CriterionScore>>;
  /** Criteria scored with the missing-metric score because the asset reports no number for them. */
  readonly unknown: readonly Criterion[];
  /** Subtracted for an active anomaly within the tolerated severity; 0 otherwise. */
  readonly anomalyPenalty: number;
  /** Sum of `scoreDelta` from policy hooks that adjusted this candidate. */
  readonly policyDelta: number;
  readonly total: number;
}

/**
 * Base total (weighted criteria minus anomaly penalty, before policy) for candidate `i`. This is the
 * hot loop: it reads typed arrays and allocates nothing. A criterion the asset reports no number for
 * scores `cfg.missingMetricScore` (stated, configurable, pessimistic by default), so partial
 * telemetry still routes, behind assets that are known to be good.
 */
export function baseTotal(pool: CandidatePool, i: number, w: Weights, costCeiling: number, latencyObjectiveMs: number, cfg: RouterConfig): number {
  const p = pool.perf;
  const severity = p.anomalySeverity[i]!;
  const penalty = severity >= 0 ? cfg.anomalyPenalty : 0;
  const m = p.missing[i]!;
  // The fully reported asset, the usual case, takes the straight sum: no branch per criterion.
  if (m === 0) {
    return w.cost * costScore(p.unitCost[i]!, costCeiling)
      + w.latency * latencyScore(p.latencyP95Ms[i]!, latencyObjectiveMs)
      + w.reliability * reliabilityScore(p.errorRate[i]!, cfg.errorRateCeiling, severity)
      + w.saturation * saturationScore(p.saturation[i]!)
      - penalty;
  }
  const unknown = cfg.missingMetricScore;
  return w.cost * ((m & MISSING_BIT.cost) !== 0 ? unknown : costScore(p.unitCost[i]!, costCeiling))
    + w.latency * ((m & MISSING_BIT.latency) !== 0 ? unknown : latencyScore(p.latencyP95Ms[i]!, latencyObjectiveMs))
    + w.reliability * ((m & MISSING_BIT.reliability) !== 0
      ? withAnomaly(unknown, severity) : reliabilityScore(p.errorRate[i]!, cfg.errorRateCeiling, severity))
    + w.saturation * ((m & MISSING_BIT.saturation) !== 0 ? unknown : saturationScore(p.saturation[i]!))
    - penalty;
}

/** Builds the explained breakdown for candidate `i`; only called for the few candidates reported. */
export function breakdown(
  pool: CandidatePool, i: number, w: Weights, costCeiling: number, latencyObjectiveMs: number, cfg: RouterConfig, policyDelta: number,
): ScoreBreakdown {
  const p = pool.perf;
  const severity = p.anomalySeverity[i]!;
  const m = p.missing[i]!;
  const item = (c: Criterion, raw: number, known: number): CriterionScore => {
    const isKnown = (m & MISSING_BIT[c]) === 0;
    const score = isKnown ? known : c === 'reliability' ? withAnomaly(cfg.missingMetricScore, severity) : cfg.missingMetricScore;
    return { raw, known: isKnown, score, weight: w[c], contribution: w[c] * score };
  };
  const criteria = {
    cost: item('cost', p.unitCost[i]!, costScore(p.unitCost[i]!, costCeiling)),
    latency: item('latency', p.latencyP95Ms[i]!, latencyScore(p.latencyP95Ms[i]!, latencyObjectiveMs)),
    reliability: item('reliability', p.errorRate[i]!, reliabilityScore(p.errorRate[i]!, cfg.errorRateCeiling, severity)),
    saturation: item('saturation', p.saturation[i]!, saturationScore(p.saturation[i]!)),
  };
  const anomalyPenalty = severity >= 0 ? cfg.anomalyPenalty : 0;
  // Recompute with the same expression as baseTotal so the reported total equals the ranked one bit for bit.
  const total = baseTotal(pool, i, w, costCeiling, latencyObjectiveMs, cfg) + policyDelta;
  return { criteria, unknown: CRITERIA.filter((c) => !criteria[c].known), anomalyPenalty, policyDelta, total };
}
