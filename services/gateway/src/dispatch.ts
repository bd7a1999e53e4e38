/**
 * The dispatch stage's adapter: a ProtocolRequest on protocol.requests keyed by charter, the reply
 * awaited within the call's deadline, and every way that can end turned into a result or a refusal
 * from the gateway's catalog.
 */
import { randomUUID } from 'node:crypto';
import type { ProtocolReply, ProtocolRequest } from '@maestro/contracts';
import { isBusError, ProduceTimeoutError } from '@maestro/bus';
import { refuse, refusalFromReply, type OperationSpec, type Principal, type Refusal } from './domain';

/** How one attempt is sent: its deadline, and for a call with an Idempotency-Key the correlation id all its attempts share. */
export interface SendOptions {
  readonly timeoutMs: number;
  readonly correlationId?: string;
  /** Whether a reply answers this attempt (see {@link answersAttempt}). */
  accept?(reply: ProtocolReply): boolean;
}

/** Sends a request and resolves with its reply; what createRequester().request does. */
export type SendRequest = (key: string, value: Omit<ProtocolRequest, 'correlationId' | 'replyTo'>, options: SendOptions) => Promise<ProtocolReply>;

/** How a dispatched call ended. `cpuMicros` and `service` come from the reply when there was one. */
export type DispatchOutcome =
  | { readonly ok: true; readonly result: unknown; readonly cpuMicros: number; readonly service: string }
  | { readonly ok: false; readonly refusal: Refusal; readonly cpuMicros: number; readonly service: string | null; readonly incident?: { readonly id: string; readonly error: unknown } };

export interface DispatchInput {
  readonly operation: OperationSpec;
  readonly principal: Principal;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly nowMs: number;
  readonly timeoutMs: number;
  /** The correlation id of every attempt of an idempotent call; a fresh one per call without a key. */
  readonly correlationId?: string;
}

/** Errors of kafkajs, or a send not acknowledged in time, mean the broker cannot be reached or is not accepting writes: retry later. */
export function isKafkaUnavailable(error: unknown): boolean {
  return error instanceof ProduceTimeoutError || (error instanceof Error && error.name.startsWith('KafkaJS'));
}

/**
 * Whether a reply answers the attempt whose deadline is `deadlineAtMs`. Attempts of one idempotent
 * call share a correlation id, and an earlier attempt still queued behind a paused service is
 * refused `deadline_exceeded` when it is finally read — a reply that says nothing about this
 * attempt, which may be right behind it and be applied. Every other reply does answer it: a kept
 * reply of an applied attempt is the call's outcome.
 */
export function answersAttempt(reply: ProtocolReply, deadlineAtMs: number): boolean {
  if (reply.status !== 'refused' || reply.refusalCode !== 'deadline_exceeded' || reply.detailsJson === null) return true;
  try {
    const details = JSON.parse(reply.detailsJson) as { deadlineAtMs?: unknown } | null;
    return typeof details?.deadlineAtMs !== 'number' || details.deadlineAtMs === deadlineAtMs;
  } catch {
    return true;
  }
}

export async function dispatchCall(send: SendRequest, input: DispatchInput): Promise<DispatchOutcome> {
  const { operation, principal, payload, nowMs, timeoutMs, correlationId } = input;
  const charterId = String(payload.charterId);
  const deadlineAtMs = nowMs + timeoutMs;
  let reply: ProtocolReply;
  try {
    reply = await send(charterId, {
      operation: operation.name, charterId, tenant: principal.tenant, caller: principal.caller,
      payloadJson: JSON.stringify(payload), deadlineAtMs, sentAtMs: nowMs,
    }, { timeoutMs, ...(correlationId === undefined ? {} : { correlationId, accept: (r: ProtocolReply) => answersAttempt(r, deadlineAtMs) }) });
  } catch (error) {
    if (isBusError(error) && error.code === 'REQUEST_TIMEOUT') {
      return { ok: false, cpuMicros: 0, service: null, refusal: refuse('deadline_exceeded', [`${operation.service} did not answer '${operation.name}' within ${timeoutMs} ms; the call may still take effect, so retry with the same Idempotency-Key`], { details: { timeoutMs } }) };
    }
    if ((isBusError(error) && error.code === 'SHUTTING_DOWN') || isKafkaUnavailable(error)) {
      return { ok: false, cpuMicros: 0, service: null, refusal: refuse('unavailable', [`the message bus is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`], { stage: 'dispatch' }) };
    }
    const id = randomUUID();
    return { ok: false, cpuMicros: 0, service: null, incident: { id, error }, refusal: refuse('internal', [`incident ${id}`], { stage: 'dispatch' }) };
  }
  const cpuMicros = Number(reply.cpuMicros);
  const details = reply.detailsJson ? parseDetails(reply.detailsJson) : undefined;
  switch (reply.status) {
    case 'ok':
      return { ok: true, result: reply.resultJson === null ? null : JSON.parse(reply.resultJson) as unknown, cpuMicros, service: reply.service };
    case 'refused':
      return { ok: false, cpuMicros, service: reply.service, refusal: refusalFromReply(reply.refusalCode ?? 'internal', reply.reasons, details) };
    default: {
      // The service's own failure: its reasons are Maestro's business, the caller gets an incident id.
      const id = randomUUID();
      return {
        ok: false, cpuMicros, service: reply.service, incident: { id, error: { code: reply.refusalCode, reasons: reply.reasons, details } },
        refusal: refuse('internal', [`incident ${id}: ${reply.service} failed to answer '${operation.name}'`], { stage: 'dispatch' }),
      };
    }
  }
}

function parseDetails(json: string): Readonly<Record<string, unknown>> | undefined {
  const value = JSON.parse(json) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : { value };
}
