import type { Anomaly, TelemetrySample } from '@maestro/contracts';
import type { BatchHandler, OutboundRecord } from '@maestro/bus';
import { step, type DetectorState, type ResolvedDetectorConfig } from './domain';
import { seriesKey, type SeriesStore } from './series-store';

export interface DetectDeps {
  store: SeriesStore;
  config: ResolvedDetectorConfig;
  /** Metrics to watch; empty watches every metric a sample carries. */
  metrics: ReadonlySet<string>;
  publish(records: OutboundRecord<Anomaly>[]): Promise<void>;
  /**
   * A kind joined the series' open incident instead of being published (a step change's drift after
   * its spike): the one trace of a correlation, since no record is written for it.
   */
  joined(event: { assetId: string; metric: string; kind: string; sampleTimestampMs: number }): void;
  now(): number;
}

function lastTimestamp(state: DetectorState): number {
  const ts = state.recent.timestampsMs;
  return ts.length ? ts[ts.length - 1]! : -Infinity;
}

/**
 * One batch of samples: load every touched series' state in one round trip, fold the samples in
 * order, publish anomalies, then save. A sample not newer than the last one folded into its series
 * is skipped: that makes a redelivered batch a no-op once its state was saved, and a late sample
 * (which ingest admits within tolerance) cannot rewind the series.
 */
export function createDetectHandler(deps: DetectDeps): BatchHandler<TelemetrySample> {
  return async (records) => {
    const wanted: { assetId: string; metric: string }[] = [];
    const seen = new Set<string>();
    for (const { value } of records) {
      for (const metric of Object.keys(value.metrics)) {
        if (deps.metrics.size && !deps.metrics.has(metric)) continue;
        const key = seriesKey(value.assetId, metric);
        if (!seen.has(key)) {
          seen.add(key);
          wanted.push({ assetId: value.assetId, metric });
        }
      }
    }
    const states = await deps.store.load(wanted);
    const changed = new Map<string, { assetId: string; metric: string; state: DetectorState }>();
    const anomalies: OutboundRecord<Anomaly>[] = [];
    const detectedAtMs = deps.now();

    for (const { value: sample, trace } of records) {
      for (const [metric, x] of Object.entries(sample.metrics)) {
        const key = seriesKey(sample.assetId, metric);
        const state = states.get(key);
        if (!state || sample.timestampMs <= lastTimestamp(state)) continue;
        const { state: next, verdict } = step(state, { timestampMs: sample.timestampMs, value: x }, deps.config);
        states.set(key, next);
        changed.set(key, { assetId: sample.assetId, metric, state: next });
        if (verdict.joined) deps.joined({ assetId: sample.assetId, metric, kind: verdict.joined, sampleTimestampMs: sample.timestampMs });
        if (!verdict.anomaly) continue;
        const { kind, relatedKinds, severity, evidence } = verdict.anomaly;
        anomalies.push({
          key: sample.assetId,
          trace,
          value: {
            anomalyId: `${sample.assetId}:${metric}:${sample.timestampMs}`, assetId: sample.assetId, metric, kind,
            relatedKinds: [...relatedKinds], severity,
            score: verdict.score, value: x, sampleTimestampMs: sample.timestampMs, detectedAtMs,
            evidence: Object.fromEntries(Object.entries(evidence).filter(([, v]) => Number.isFinite(v))) as Record<string, number>,
            tenant: sample.tenant,
          },
        });
      }
    }
    await deps.publish(anomalies);
    await deps.store.save(changed);
  };
}
