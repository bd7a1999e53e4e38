import type { FastifyInstance } from 'fastify';
import type { HealthSignal as WireSignal } from '@maestro/contracts';
import type { OutboundRecord } from '@maestro/bus';
import { toWireSignal, validateSignal, type SignalLimits } from '@maestro/telemetry';

export interface TelemetryRouteDeps {
  limits: SignalLimits;
  /** Largest batch accepted in one call. */
  maxBatch: number;
  /** A bounded send: rejects when the broker does not acknowledge in time. */
  publish(records: OutboundRecord<WireSignal>[]): Promise<void>;
  /** True for a send error that means the broker is unreachable (503, retry later) rather than a bug. */
  isUnavailable(error: unknown): boolean;
  /** Seconds a 503 asks the caller to wait. */
  retryAfterS: number;
  now(): number;
}

/**
 * POST /v1/telemetry: a JSON batch of health signals, validated by the very function ingest uses.
 * The batch is all or nothing: one bad signal refuses the call with every error by index, so a
 * caller never has to work out which half of its batch landed.
 */
export function registerTelemetryRoute(app: FastifyInstance, deps: TelemetryRouteDeps): void {
  app.post('/v1/telemetry', async (request, reply) => {
    const body = request.body as { signals?: unknown } | unknown[] | null;
    const signals = Array.isArray(body) ? body : (body as { signals?: unknown } | null)?.signals;
    if (!Array.isArray(signals) || signals.length === 0) {
      return reply.code(400).send({ refused: { stage: 'validate', code: 'schema_violation', reasons: ['body must be {"signals": [...]} or an array of signals, with at least one signal'] } });
    }
    if (signals.length > deps.maxBatch) {
      return reply.code(413).send({ refused: { stage: 'validate', code: 'payload_too_large', reasons: [`${signals.length} signals in one call; at most ${deps.maxBatch}`] } });
    }
    const nowMs = deps.now();
    const errors: { index: number; field: string; code: string; message: string }[] = [];
    const records: OutboundRecord<WireSignal>[] = [];
    signals.forEach((raw, index) => {
      const result = validateSignal(raw, { nowMs, limits: deps.limits });
      if (!result.ok) {
        for (const e of result.errors) errors.push({ index, ...e });
        return;
      }
      records.push({ key: result.signal.assetId, value: toWireSignal(result.signal, { tenant: null, receivedAtMs: nowMs }) });
    });
    if (errors.length > 0) {
      return reply.code(400).send({ refused: { stage: 'validate', code: 'invalid_signal', reasons: errors.map((e) => `signals[${e.index}].${e.field}: ${e.message}`), details: { errors } } });
    }
    try {
      await deps.publish(records);
    } catch (error) {
      if (!deps.isUnavailable(error)) throw error;
      // The batch may still land once the broker is back (the send is not cancelled); ingest dedupes a retry.
      return reply.code(503).header('retry-after', String(deps.retryAfterS)).send({
        refused: { stage: 'dispatch', code: 'unavailable', reasons: [`the message bus is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`] },
      });
    }
    return reply.code(202).send({ accepted: records.length });
  });
}
