/**
 * What a request read from `protocol.requests` must pass before any operation sees it. The topic is
 * written by the gateway after its checks, but also by anything else that can reach the broker, so
 * nothing about a record is taken on trust: its payload must be a JSON object that matches the
 * operation's published schema and names the charter the record is keyed by, and its deadline must
 * not have passed (nobody waits for the answer any more, and a gateway that answered 504 tells its
 * caller to retry: applying it now could apply the call twice).
 */
import type { ProtocolRequest } from '@maestro/contracts';
import { schemaProblems, type MaestroValidators, type SchemaOperation } from './payload-validation';

/** A refusal of the screen, in the gateway's codes. */
export interface ScreenRefusal {
  readonly code: 'schema_violation' | 'invalid_input' | 'deadline_exceeded';
  readonly reasons: readonly string[];
  readonly details: Record<string, unknown>;
}

export type Screened = { readonly ok: true; readonly payload: Record<string, unknown> } | { readonly ok: false; readonly refusal: ScreenRefusal };

/** A refusal when the request's deadline is behind `nowMs`, else null. */
export function deadlinePassed(request: ProtocolRequest, nowMs: number): ScreenRefusal | null {
  if (nowMs <= request.deadlineAtMs) return null;
  return {
    code: 'deadline_exceeded',
    reasons: [`the call's deadline passed ${nowMs - request.deadlineAtMs} ms before it was decided; nothing was applied, retry with the same Idempotency-Key`],
    details: { deadlineAtMs: request.deadlineAtMs, decidedAtMs: nowMs },
  };
}

function isSchemaOperation(operation: string, validators: MaestroValidators): operation is SchemaOperation {
  return Object.hasOwn(validators.payload, operation);
}

/**
 * Parses and checks a request's payload. Operations without a published schema (the services' own
 * internal requests) get the JSON-object and charter checks only.
 */
export function screenRequest(request: ProtocolRequest, nowMs: number, validators: MaestroValidators): Screened {
  const late = deadlinePassed(request, nowMs);
  if (late) return { ok: false, refusal: late };
  const violation = (reasons: string[], fields: string[]): Screened => ({ ok: false, refusal: { code: 'schema_violation', reasons, details: { fields } } });
  let payload: unknown;
  try {
    payload = JSON.parse(request.payloadJson);
  } catch (error) {
    return violation([`/payload: is not JSON (${error instanceof Error ? error.message : String(error)})`], ['/payload']);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return violation(['/payload: must be an object'], ['/payload']);
  if (isSchemaOperation(request.operation, validators)) {
    const validate = validators.payload[request.operation];
    if (!validate(payload)) {
      const problems = schemaProblems(validate.errors ?? [], '/payload');
      return violation(problems.reasons, problems.fields);
    }
  }
  const named = (payload as { charterId?: unknown }).charterId;
  if (named !== request.charterId) {
    return { ok: false, refusal: { code: 'invalid_input', reasons: [`the payload names charter '${String(named)}' but the request is keyed by '${request.charterId}'`], details: { fields: ['/payload/charterId'] } } };
  }
  return { ok: true, payload: payload as Record<string, unknown> };
}
