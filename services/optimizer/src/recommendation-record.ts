/**
 * The core's recommendation as the `recommendations` topic carries it. Pure. The record's time is
 * the sample's time the core decided at, not the wall clock: a replayed batch then produces the
 * same record again, which a compacted, keyed topic absorbs.
 */
import type { Recommendation as RecommendationRecord } from '@maestro/contracts';
import type { Recommendation } from './domain';

/**
 * The evidence as a flat map of finite numbers (the Avro map's value type): every numeric field of
 * the core's evidence, both sizes, and each signal's raw and weighted ratio as `signal.<name>.ratio`
 * and `signal.<name>.weighted`. A null window (not yet observed) is left out rather than invented.
 */
export function flattenEvidence(rec: Recommendation): Record<string, number> {
  const out: Record<string, number> = { currentSizeUnits: rec.currentSizeUnits, targetSizeUnits: rec.targetSizeUnits };
  for (const [name, value] of Object.entries(rec.evidence)) {
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  }
  for (const s of rec.evidence.signals) {
    if (Number.isFinite(s.ratio)) out[`signal.${s.name}.ratio`] = s.ratio;
    if (Number.isFinite(s.weighted)) out[`signal.${s.name}.weighted`] = s.weighted;
  }
  return out;
}

/**
 * The published record: target replicas only for scale actions, a target size only for right_size;
 * the load forecast and its band beside the decision, whatever the action.
 * `tenant` is the asset's owner as the sample carried it (null when unknown).
 */
export function toRecommendationRecord(rec: Recommendation, tenant: string | null): RecommendationRecord {
  const scales = rec.action === 'scale_out' || rec.action === 'scale_in';
  return {
    assetId: rec.assetId, action: rec.action, currentReplicas: rec.currentReplicas,
    targetReplicas: scales ? rec.targetReplicas : null,
    targetSize: rec.action === 'right_size' ? `size_units=${rec.targetSizeUnits}` : null,
    confidence: rec.confidence, rationale: rec.rationale, evidence: flattenEvidence(rec), decidedAtMs: rec.atMs, tenant,
    forecastLoad: rec.evidence.forecastLoad, forecastLower: rec.evidence.forecastLower, forecastUpper: rec.evidence.forecastUpper,
    forecastHorizonMs: Math.round(rec.evidence.forecastHorizonMs), forecastSeasonality: rec.evidence.seasonality,
  };
}
