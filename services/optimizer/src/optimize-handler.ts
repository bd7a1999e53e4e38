import type { AuditRecord, Recommendation as RecommendationRecord, TelemetrySample } from '@maestro/contracts';
import type { BatchHandler, OutboundRecord, Rejection } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import type { SignalMeter } from '@maestro/plugin-sdk/host';
import { withPluginSignals } from './plugin-signals';
import type { OptimizerConfig, OptimizerState } from './domain';
import type { AssetStore } from './asset-store';
import { toRecommendationRecord } from './recommendation-record';
import { stepTelemetry } from './telemetry-step';

/** Dead-letter code of a sample the optimiser cannot use (bad label, out-of-range value). */
export const INVALID_SAMPLE = 'INVALID_SAMPLE';

export interface OptimizeDeps {
  store: AssetStore;
  config: OptimizerConfig;
  /** Sends recommendations and their audit records in one request. */
  publish(recommendations: OutboundRecord<RecommendationRecord>[], audits: OutboundRecord<AuditRecord>[]): Promise<void>;
  audit(entry: AuditEntry): OutboundRecord<AuditRecord>;
  /** Plugin signals (MAESTRO_PLUGINS), added to each sample's own; null when no plugin has one. */
  signals?: SignalMeter | null;
}

/**
 * One batch of samples: load every touched asset's state in one MGET, fold the samples in offset
 * order through the core, publish the recommendations that changed (each with its audit record, in
 * one send), then save every touched state in one pipeline.
 *
 * Publish before save: `step` already records a publish in the state it returns, so a crash between
 * the send and the save replays the batch and publishes that recommendation once more, which a
 * compacted topic keyed by asset absorbs. Saving first could lose a recommendation instead.
 * A sample not newer than the asset's last one is skipped here (the core would ignore it too): a
 * redelivered batch whose state was saved is then a no-op, and does not even rewrite the state.
 */
export function createOptimizeHandler(deps: OptimizeDeps): BatchHandler<TelemetrySample> {
  return async (records) => {
    const assetIds = [...new Set(records.map((r) => r.value.assetId))];
    const states = await deps.store.load(assetIds);
    const touched = new Map<string, OptimizerState>();
    const recommendations: OutboundRecord<RecommendationRecord>[] = [];
    const audits: OutboundRecord<AuditRecord>[] = [];
    const rejections: Rejection[] = [];
    // Measured for the whole batch at once, each call under its deadline: a hanging plugin signal
    // costs one deadline per batch, and is left out (counted and audited by the plugin host).
    const pluginSignals = deps.signals ? await Promise.all(records.map((r) => deps.signals!(r.value))) : null;

    for (const [index, { value, offset, trace }] of records.entries()) {
      const folded = stepTelemetry(states.get(value.assetId) ?? null, withPluginSignals(value, pluginSignals?.[index]), deps.config);
      if (folded.kind === 'skip') continue;
      if (folded.kind === 'invalid') {
        rejections.push({ offset, code: INVALID_SAMPLE, reason: folded.reason });
        continue;
      }
      const result = folded.result;
      states.set(value.assetId, result.state);
      touched.set(value.assetId, result.state);
      if (!result.changed) continue;
      const rec = result.recommendation;
      recommendations.push({ key: rec.assetId, trace, value: toRecommendationRecord(rec, value.tenant) });
      audits.push(deps.audit({
        kind: 'optimization.recommendation', outcome: rec.action, subjectId: rec.assetId, reasons: [rec.rationale], trace,
        details: {
          currentReplicas: rec.currentReplicas, targetReplicas: rec.targetReplicas, currentSizeUnits: rec.currentSizeUnits,
          targetSizeUnits: rec.targetSizeUnits, confidence: rec.confidence, sampleAtMs: rec.atMs, evidence: rec.evidence,
        },
      }));
    }

    if (recommendations.length > 0) await deps.publish(recommendations, audits);
    await deps.store.save(touched);
    return rejections;
  };
}
