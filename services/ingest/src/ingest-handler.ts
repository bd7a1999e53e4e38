import type { HealthSignal as WireSignal, TelemetrySample } from '@maestro/contracts';
import type { BatchHandler, OutboundRecord, Rejection } from '@maestro/bus';
import { judgeWireSignal, type HealthSignal, type SignalLimits } from '@maestro/telemetry';
import { admitBatch, assetsOf, type OrderingConfig } from './domain';
import type { StreamStore } from './stream-store';

export interface IngestDeps {
  store: StreamStore;
  limits: SignalLimits;
  ordering: OrderingConfig;
  publish(records: OutboundRecord<TelemetrySample>[]): Promise<void>;
  now(): number;
}

/**
 * One batch of raw signals: validate each (the gateway's very verdict, see `judgeWireSignal`),
 * order and deduplicate per asset against the state in Redis, publish the admitted samples, then
 * save the state. Publishing before saving means a crash in between republishes (at least once)
 * rather than losing a sample; every refused signal goes to the dead-letter topic with its reason.
 */
export function createIngestHandler(deps: IngestDeps): BatchHandler<WireSignal> {
  return async (records) => {
    const rejections: Rejection[] = [];
    const valid: { signal: HealthSignal; tenant: string | null; offset: string; trace: (typeof records)[number]['trace'] }[] = [];
    for (const record of records) {
      const result = judgeWireSignal(record.value, record.timestampMs, deps.limits);
      if (result.ok) valid.push({ signal: result.signal, tenant: record.value.tenant, offset: record.offset, trace: record.trace });
      else rejections.push({ offset: record.offset, code: result.errors[0]!.code, reason: result.errors.map((e) => `${e.field}: ${e.message}`).join('; ') });
    }
    if (valid.length === 0) return rejections;

    const signals = valid.map((v) => v.signal);
    const states = await deps.store.load(assetsOf(signals));
    const nowMs = deps.now();
    const { admissions, changedStates } = admitBatch(states, signals, nowMs, deps.ordering);
    const out: OutboundRecord<TelemetrySample>[] = [];
    admissions.forEach((admission, i) => {
      const { offset, trace, tenant } = valid[i]!;
      if (!admission.admitted) {
        rejections.push({ offset, code: admission.reason, reason: admission.message });
        return;
      }
      const s = admission.signal;
      out.push({
        key: s.assetId,
        trace,
        value: {
          assetId: s.assetId, timestampMs: s.timestampMs, ingestedAtMs: nowMs, metrics: { ...s.metrics } as Record<string, number>,
          region: s.region ?? null, provider: s.provider ?? null, labels: { ...s.labels }, tenant,
        },
      });
    });
    await deps.publish(out);
    await deps.store.save(changedStates);
    return rejections;
  };
}
