import type { HealthSignal as WireSignal, TelemetrySample } from '@maestro/contracts';
import type { BatchHandler, ConsumedPosition, Logger, OutboundRecord, Rejection } from '@maestro/bus';
import { judgeWireSignal, type HealthSignal, type SignalLimits } from '@maestro/telemetry';
import { admitBatch, assetsOf, type OrderingConfig } from './domain';
import type { StreamStore } from './stream-store';

export interface IngestDeps {
  store: StreamStore;
  limits: SignalLimits;
  ordering: OrderingConfig;
  /**
   * Publishes the admitted samples and commits the group's offset past the batch (`position`) in one
   * Kafka transaction (libs/bus transactional-sender.ts); without a position (a handler called
   * outside a consumer), publishes only.
   */
  publish(records: OutboundRecord<TelemetrySample>[], position: ConsumedPosition | null): Promise<void>;
  now(): number;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * One batch of raw signals: validate each (the gateway's very verdict, see `judgeWireSignal`),
 * order and deduplicate per asset against the state in Redis, dead-letter the refused ones, then
 * publish the admitted samples together with the group's offset past the batch in one transaction,
 * then save the state.
 *
 * Exactly once on `telemetry.samples`: a crash before the transaction commits leaves nothing visible
 * (readers are read_committed) and the batch is read again from the old offset; once it commits,
 * the batch is never read again. Refused signals are dead-lettered before the commit, since a crash
 * after it would never send them (a crash between the two sends them twice). The state is saved
 * after the commit: saved before, a crash in between would make the replayed batch look like
 * duplicates and lose it. A save that fails after the commit is logged, not retried through the
 * batch (that would publish it again): the state then lags, as after a crash at that instant, which
 * only means a later copy of one of these signals is judged against older state.
 */
export function createIngestHandler(deps: IngestDeps): BatchHandler<WireSignal> {
  return async (records, ctx) => {
    const position: ConsumedPosition | null = ctx.groupId && records.length > 0
      ? { groupId: ctx.groupId, topic: ctx.topic, partition: ctx.partition, nextOffset: String(BigInt(records[records.length - 1]!.offset) + 1n) }
      : null;
    const rejections: Rejection[] = [];
    const valid: { signal: HealthSignal; tenant: string | null; offset: string; trace: (typeof records)[number]['trace'] }[] = [];
    for (const record of records) {
      const result = judgeWireSignal(record.value, record.timestampMs, deps.limits);
      if (result.ok) valid.push({ signal: result.signal, tenant: record.value.tenant, offset: record.offset, trace: record.trace });
      else rejections.push({ offset: record.offset, code: result.errors[0]!.code, reason: result.errors.map((e) => `${e.field}: ${e.message}`).join('; ') });
    }
    if (valid.length === 0) {
      if (!position || !ctx.deadLetter) return rejections;
      // Nothing to publish, but the group's offset still moves past the batch, in a transaction
      // like every other batch's (the consumer commits none of its own).
      await ctx.deadLetter(rejections);
      await deps.publish([], position);
      return [];
    }

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
    if (position && ctx.deadLetter) await ctx.deadLetter(rejections.splice(0));
    await deps.publish(out, position);
    if (!position) {
      await deps.store.save(changedStates);
      return rejections;
    }
    try {
      await deps.store.save(changedStates);
    } catch (error) {
      deps.logger?.warn({ err: error, topic: ctx.topic, partition: ctx.partition, assets: changedStates.size }, 'ordering state not saved after the batch was committed; it lags until the next samples of these assets');
    }
    return rejections;
  };
}
