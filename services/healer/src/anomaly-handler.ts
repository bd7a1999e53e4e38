import type { Anomaly as WireAnomaly } from '@maestro/contracts';
import type { BatchHandler } from '@maestro/bus';
import { decide, type Anomaly, type HealerConfig } from './domain';
import { applyDecisions, type DecisionDeps } from './decisions';

/** The wire record as the healing core sees it. */
export function toDomainAnomaly(a: WireAnomaly): Anomaly {
  return {
    anomalyId: a.anomalyId, assetId: a.assetId, metric: a.metric, kind: a.kind, severity: a.severity, detectedAtMs: a.detectedAtMs, tenant: a.tenant,
    evidence: { zScore: a.evidence.zScore ?? 0, baselineMean: a.evidence.baselineMean ?? a.value, baselineStd: a.evidence.baselineStd ?? 0 },
  };
}

/** One batch of anomalies: load every asset's context in one round trip, decide, and apply. */
export function createAnomalyHandler(deps: DecisionDeps & { config: HealerConfig }): BatchHandler<WireAnomaly> {
  return async (records) => {
    const contexts = await deps.store.contexts([...new Set(records.map((r) => r.value.assetId))]);
    const nowMs = deps.now();
    const pending = records.map(({ value, trace }) => {
      const anomaly = toDomainAnomaly(value);
      return { anomaly, trace, result: decide(anomaly, contexts.get(anomaly.assetId)!, deps.config, nowMs) };
    });
    await applyDecisions(deps, pending);
  };
}
