/**
 * The eight stages of a MAESTRO call, in order: parse → validate → authenticate → authorise →
 * policy → idempotency → dispatch → audit. The pure stages come from ./domain; this module runs
 * them with the shared state (nonce and idempotency stores), the bus and the audit log injected,
 * and returns a status and body for the HTTP adapter to send. Every call, refusals included, ends
 * in exactly one audit record whose id the response carries.
 */
import { randomUUID } from 'node:crypto';
import {
  authenticate, authorise, bodyHash, canonicalJson, checkIdempotencyKey, decideIdempotency, evaluatePolicies, httpStatusOf, errorCatalog, idempotencyScope,
  parseRequest, refuse, refuseIfReplayed, shouldStoreResponse, validateRequest,
  type AuthConfig, type ErrorCode, type ErrorSpec, type IdempotencyConfig, type OperationSpec, type ParseLimits, type PolicyHook, type Principal, type Refusal,
  type RefusalBody, type StoredResponse, type TrustStore,
} from './domain';
import { dispatchCall, type SendRequest } from './dispatch';
import type { IdempotencyReservation, IdempotencyStore } from './idempotency-store';
import { startMeter, type Meter } from './metering';
import type { NonceStore } from './nonce-store';
import type { Validators } from './validators';

/** What the HTTP adapter sends back. */
export interface ProtocolResponse {
  readonly status: number;
  readonly body: StoredResponse['body'];
  /** Seconds, for retryable refusals. */
  readonly retryAfterS?: number;
  /** True when the body is a stored response replayed for an Idempotency-Key. */
  readonly replayed?: boolean;
}

/** What one audit record of a protocol call says. */
export interface ProtocolAuditEntry {
  readonly subjectId: string;
  readonly outcome: 'ok' | 'refused' | 'failed' | 'replayed';
  readonly reasons: string[];
  readonly details: Readonly<Record<string, unknown>>;
}

export interface PipelineDeps {
  readonly trust: TrustStore;
  readonly auth: AuthConfig;
  readonly parseLimits: ParseLimits;
  readonly validators: Validators;
  readonly policies: readonly PolicyHook[];
  readonly idempotency: IdempotencyConfig;
  /**
   * How long after a call's first attempt a retry with its Idempotency-Key is sent again with the
   * same correlation id when no attempt got a definite answer (503, 504). Must stay below the
   * services' kept-reply TTL (PLANNER_APPLIED_TTL_MS, DISPATCHER_APPLIED_TTL_MS) less the call
   * timeout, or a retry could reach a service that has forgotten it applied the first attempt.
   */
  readonly retryWindowMs: number;
  /** How long a call waits for its service's reply. */
  readonly callTimeoutMs: number;
  readonly nonces: NonceStore;
  readonly idempotencyStore: IdempotencyStore;
  readonly send: SendRequest;
  /** Produces the audit record and resolves with its id. */
  audit(entry: ProtocolAuditEntry): Promise<string>;
  now(): number;
  logError(fields: Record<string, unknown>, message: string): void;
}

export interface ProtocolPipeline {
  /** Runs a call. `operationName` is the path segment without its optional `maestro.` prefix. */
  handle(operationName: string, rawBody: string, idempotencyKey: string | undefined): Promise<ProtocolResponse>;
  /** Audits and answers a call the framework refused before the pipeline could see it (e.g. a body over the limit). */
  refuseEarly(operationName: string, refusal: Refusal): Promise<ProtocolResponse>;
}

/** Seconds a caller should wait before retrying a retryable refusal. */
export const RETRY_AFTER_S = 1;
/** An attempt's hold on an Idempotency-Key outlives the call's deadline by this much, then lapses if its replica died. */
const RESERVATION_MARGIN_MS = 30_000;

interface CallState {
  operation?: OperationSpec;
  principal?: Principal;
  charterId?: string;
  serviceCpuMicros: number;
  service: string | null;
  budgetCharged: unknown;
  idempotency?: 'stored' | 'outcome_unknown' | 'replayed';
  /** For a call with an Idempotency-Key: the correlation id its attempts share, and whether this attempt is a retry. */
  correlationId?: string;
  retried?: boolean;
}

export function createProtocolPipeline(deps: PipelineDeps): ProtocolPipeline {
  async function finish(name: string, meter: Meter, state: CallState, outcome: { result: unknown } | { refusal: Refusal; incident?: { id: string; error: unknown } }): Promise<{ response: ProtocolResponse; code: ErrorCode | null }> {
    const refused: RefusalBody | null = 'refusal' in outcome ? outcome.refusal.refused : null;
    const code = refused?.code ?? null;
    const status = code === null ? 200 : httpStatusOf(code);
    if ('incident' in outcome && outcome.incident) deps.logError({ err: outcome.incident.error, incident: outcome.incident.id, operation: name }, 'protocol call failed');
    const gatewayCpuMicros = meter.cpuMicros();
    const details = {
      operation: state.operation?.name ?? name,
      caller: state.principal?.caller ?? null,
      tenant: state.principal?.tenant ?? null,
      charterId: state.charterId ?? null,
      stage: refused?.stage ?? 'audit',
      code,
      httpStatus: status,
      service: state.service,
      ...(state.idempotency ? { idempotency: state.idempotency } : {}),
      ...(state.correlationId ? { correlationId: state.correlationId, retried: state.retried === true } : {}),
      ...(refused?.details ? { refusalDetails: refused.details } : {}),
      metering: {
        wallClockMs: meter.wallClockMs(),
        cpuMicros: { gateway: gatewayCpuMicros, service: state.serviceCpuMicros, total: gatewayCpuMicros + state.serviceCpuMicros },
        budgetCharged: state.budgetCharged ?? null,
      },
    };
    const audit = await deps.audit({
      subjectId: state.charterId ?? state.principal?.caller ?? 'unknown',
      outcome: code === null ? 'ok' : status >= 500 ? 'failed' : 'refused',
      reasons: refused ? [...refused.reasons] : [],
      details,
    });
    const body = refused ? { refused, audit } : { result: (outcome as { result: unknown }).result, audit };
    const spec = code === null ? null : errorCatalog[code] as ErrorSpec;
    return { response: { status, body, ...(spec?.retryable ? { retryAfterS: spec.retryAfterS ?? RETRY_AFTER_S } : {}) }, code };
  }

  async function run(name: string, rawBody: string, idempotencyKey: string | undefined, meter: Meter, state: CallState): Promise<ProtocolResponse> {
    const refused = async (refusal: Refusal) => (await finish(name, meter, state, { refusal })).response;

    // 1. parse
    const parsed = meter.cpu(() => parseRequest(name, rawBody, deps.parseLimits));
    if (!parsed.ok) return refused(parsed.refusal);
    const operation = parsed.value.operation;
    state.operation = operation;

    // 2. validate (the body, the payload, the Idempotency-Key header)
    const validated = meter.cpu(() => validateRequest(parsed.value.body, deps.validators.body, deps.validators.payload[operation.name]));
    if (!validated.ok) return refused(validated.refusal);
    const { envelope, payload } = validated.value;
    state.charterId = typeof payload.charterId === 'string' ? payload.charterId : undefined;
    const key = checkIdempotencyKey(idempotencyKey);
    if (!key.ok) return refused(key.refusal);

    // 3. authenticate: trust store, timestamp, signature, then the nonce (shared state, reserved last so that a forged call cannot burn a real nonce)
    const nowMs = deps.now();
    const authenticated = meter.cpu(() => authenticate(operation.name, validated.value, deps.trust, deps.auth, nowMs));
    if (!authenticated.ok) return refused(authenticated.refusal);
    const { principal, nonce } = authenticated.value;
    state.principal = principal;
    let reserved: boolean;
    try {
      reserved = await deps.nonces.reserve(nonce);
    } catch (error) {
      deps.logError({ err: error }, 'nonce store unavailable');
      return refused(refuse('unavailable', ['the nonce store is unavailable; retry later'], { stage: 'authenticate' }));
    }
    const replay = refuseIfReplayed(reserved, principal.caller, envelope.nonce);
    if (replay) return refused(replay);

    // 4. authorise
    const denied = authorise({ operation, principal, envelope, payload });
    if (denied) return refused(denied);

    // 5. policy
    const payloadBytes = meter.cpu(() => Buffer.byteLength(canonicalJson(payload), 'utf8'));
    const policy = meter.cpu(() => evaluatePolicies(deps.policies, { operation, principal, payload, payloadBytes, nowMs }));
    if (policy) return refused(policy);

    // 6. idempotency
    let reservation: IdempotencyReservation | null = null;
    if (key.value !== undefined && !operation.readOnly) {
      const hash = meter.cpu(() => bodyHash(operation.name, payload));
      const input = { operation, principal, key: key.value, bodyHash: hash };
      let found: Awaited<ReturnType<IdempotencyStore['reserveOrGet']>>;
      try {
        found = await deps.idempotencyStore.reserveOrGet(idempotencyScope(principal, key.value), hash, {
          nowMs, leaseMs: deps.callTimeoutMs + RESERVATION_MARGIN_MS, retryWindowMs: deps.retryWindowMs, ttlMs: deps.idempotency.ttlMs,
        });
      } catch (error) {
        deps.logError({ err: error }, 'idempotency store unavailable');
        return refused(refuse('unavailable', ['the idempotency store is unavailable; retry later'], { stage: 'idempotency' }));
      }
      if ('reserved' in found) {
        reservation = found.reserved;
        state.correlationId = reservation.correlationId;
        state.retried = reservation.retry;
      } else {
        const decision = decideIdempotency(input, found.record, deps.idempotency);
        if (decision.kind === 'refuse') return refused(decision.refusal);
        if (decision.kind === 'replay') {
          state.idempotency = 'replayed';
          const original = (decision.response.body as { audit?: unknown } | null)?.audit;
          await deps.audit({
            subjectId: state.charterId ?? principal.caller, outcome: 'replayed', reasons: [`a retry with Idempotency-Key '${key.value}': the stored response of audit ${String(original)} was returned`],
            details: { operation: operation.name, caller: principal.caller, tenant: principal.tenant, charterId: state.charterId ?? null, originalAudit: original ?? null, httpStatus: decision.response.status, metering: { wallClockMs: meter.wallClockMs(), cpuMicros: { gateway: meter.cpuMicros(), service: 0, total: meter.cpuMicros() }, budgetCharged: null } },
          });
          return { status: decision.response.status, body: decision.response.body, replayed: true };
        }
      }
    }

    // 7. dispatch
    const outcome = await dispatchCall(deps.send, { operation, principal, payload, nowMs, timeoutMs: deps.callTimeoutMs, ...(reservation ? { correlationId: reservation.correlationId } : {}) });
    state.serviceCpuMicros = outcome.cpuMicros;
    state.service = outcome.service;
    if (outcome.ok) state.budgetCharged = budgetChargedBy(operation, payload, outcome.result);

    // 8. audit, then keep the response for retries when a retry would get the same answer; after a
    // 503 or 504 keep the record without one: a retry is sent again with the same correlation id.
    const { response, code } = await finish(name, meter, state, outcome.ok ? { result: outcome.result } : { refusal: outcome.refusal, ...(outcome.incident ? { incident: outcome.incident } : {}) });
    if (reservation) {
      try {
        if (shouldStoreResponse(code)) {
          await deps.idempotencyStore.complete(reservation, { status: response.status, body: response.body }, deps.idempotency.ttlMs);
          state.idempotency = 'stored';
        } else {
          await deps.idempotencyStore.suspend(reservation);
          state.idempotency = 'outcome_unknown';
        }
      } catch (error) {
        // The call itself is done and audited; a retry finds the reservation in progress until it lapses.
        deps.logError({ err: error, audit: (response.body as { audit: string }).audit }, 'could not store the idempotent response');
      }
    }
    return response;
  }

  return {
    async handle(name, rawBody, idempotencyKey) {
      const meter = startMeter();
      const state: CallState = { serviceCpuMicros: 0, service: null, budgetCharged: null };
      try {
        return await run(name, rawBody, idempotencyKey, meter, state);
      } catch (error) {
        const id = randomUUID();
        return (await finish(name, meter, state, { refusal: refuse('internal', [`incident ${id}`], { stage: 'audit' }), incident: { id, error } })).response;
      }
    },
    async refuseEarly(name, refusal) {
      return (await finish(name, startMeter(), { serviceCpuMicros: 0, service: null, budgetCharged: null }, { refusal })).response;
    },
  };
}

/**
 * The budget a call charged, for metering: what the service reports as `budgetCharged` in its
 * result, or, for an outcome report, the cost and tokens it records against the charter.
 */
function budgetChargedBy(operation: OperationSpec, payload: Readonly<Record<string, unknown>>, result: unknown): unknown {
  const reported = typeof result === 'object' && result !== null ? (result as { budgetCharged?: unknown }).budgetCharged : undefined;
  if (reported !== undefined) return reported;
  if (operation.name === 'outcome.report') return { cost: payload.actualCost ?? 0, tokens: payload.actualTokens ?? 0 };
  return null;
}
