import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HealthSignal as WireSignal } from '@maestro/contracts';
import type { OutboundRecord } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import { toWireSignal, validateSignal, type SignalLimits } from '@maestro/telemetry';
import type { AssetOwnershipStore } from './asset-ownership-store';
import { TELEMETRY_AUTH_CODES, authenticateTelemetry, outOfScope, type TelemetryAuthCode } from './telemetry-auth';
import type { TokenStore } from './telemetry-tokens';

export interface TelemetryRouteDeps {
  limits: SignalLimits;
  /** Largest batch accepted in one call. */
  maxBatch: number;
  /** The API tokens (GATEWAY_TELEMETRY_TOKENS). */
  tokens: TokenStore;
  ownership: AssetOwnershipStore;
  /** A bounded send: rejects when the broker does not acknowledge in time. */
  publish(records: OutboundRecord<WireSignal>[]): Promise<void>;
  /** Writes audit records; never throws (a failure is logged, the caller still gets its answer). */
  audit(entries: AuditEntry[]): Promise<void>;
  /** True for a send error that means the broker is unreachable (503, retry later) rather than a bug. */
  isUnavailable(error: unknown): boolean;
  /** Seconds a 503 asks the caller to wait. */
  retryAfterS: number;
  now(): number;
}

/**
 * POST /v1/telemetry: a JSON batch of health signals from a caller holding an API token, validated
 * by the very function ingest uses. In order: the token (401), the batch's shape and size (400,
 * 413), every signal (400), the token's asset patterns (403), the assets' owners (403; unowned
 * assets are claimed for the token's tenant), then the publish, each signal carrying the tenant.
 * The batch is all or nothing: one bad signal refuses the call with every error by index, so a
 * caller never has to work out which half of its batch landed. Credential and ownership refusals,
 * and claims, are audited (`telemetry.refused`, `telemetry.claim`).
 */
export function registerTelemetryRoute(app: FastifyInstance, deps: TelemetryRouteDeps): void {
  const refuseAudited = async (reply: FastifyReply, code: TelemetryAuthCode, reasons: string[], details: Record<string, unknown>) => {
    await deps.audit([{ kind: 'telemetry.refused', outcome: code, subjectId: typeof details.tenant === 'string' ? details.tenant : 'anonymous', reasons, details }]);
    return reply.code(TELEMETRY_AUTH_CODES[code].status).send({ refused: { stage: code.startsWith('asset_') ? 'authorise' : 'authenticate', code, reasons } });
  };

  app.post('/v1/telemetry', async (request, reply) => {
    const auth = authenticateTelemetry(request.headers.authorization, deps.tokens);
    if (!auth.ok) return refuseAudited(reply, auth.code, [auth.reason], { remoteAddress: request.ip });
    const { principal } = auth;

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
      records.push({ key: result.signal.assetId, value: toWireSignal(result.signal, { tenant: principal.tenant, receivedAtMs: nowMs }) });
    });
    if (errors.length > 0) {
      return reply.code(400).send({ refused: { stage: 'validate', code: 'invalid_signal', reasons: errors.map((e) => `signals[${e.index}].${e.field}: ${e.message}`), details: { errors } } });
    }

    const who = { tenant: principal.tenant, tokenId: principal.tokenId };
    const assetIds = [...new Set(records.map((r) => r.key))];
    const uncovered = outOfScope(principal, assetIds);
    if (uncovered.length > 0) {
      return refuseAudited(reply, 'asset_out_of_scope', uncovered.map((id) => `token '${principal.tokenId}' does not cover asset ${id}`), { ...who, assets: uncovered });
    }
    let verdict;
    try {
      verdict = await deps.ownership.claimOrCheck(principal.tenant, assetIds);
    } catch (error) {
      return unavailable(reply, deps.retryAfterS, 'the ownership store', error);
    }
    if (verdict.foreign.size > 0) {
      // The answer does not name the owner (another tenant's name is theirs); the audit record does.
      return refuseAudited(reply, 'asset_owned_by_another_tenant', [...verdict.foreign.keys()].map((id) => `asset ${id} belongs to another tenant`), { ...who, owners: Object.fromEntries(verdict.foreign) });
    }
    if (verdict.claimed.length > 0) {
      await deps.audit(verdict.claimed.map((assetId) => ({
        kind: 'telemetry.claim', outcome: 'claimed', subjectId: assetId,
        reasons: [`first authenticated report for an asset no one owned: it now belongs to tenant ${principal.tenant}`], details: who,
      })));
    }

    try {
      await deps.publish(records);
    } catch (error) {
      if (!deps.isUnavailable(error)) throw error;
      // The batch may still land once the broker is back (the send is not cancelled); ingest dedupes a retry.
      return unavailable(reply, deps.retryAfterS, 'the message bus', error);
    }
    return reply.code(202).send({ accepted: records.length });
  });
}

function unavailable(reply: FastifyReply, retryAfterS: number, what: string, error: unknown) {
  return reply.code(503).header('retry-after', String(retryAfterS)).send({
    refused: { stage: 'dispatch', code: 'unavailable', reasons: [`${what} is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`] },
  });
}
