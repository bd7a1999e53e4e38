/**
 * The gateway's one error catalog. Every refusal the MAESTRO gateway can return is listed here with
 * the pipeline stage that produces it, its HTTP status and whether the same call could succeed if
 * retried unchanged. Domain code speaks only in these codes; the HTTP adapter reads the status from
 * this table and nowhere else (HOUSE_STYLE §4).
 */

/** The pipeline's stages, in order. `dispatch` covers refusals that come back from the planner or dispatcher. */
export const STAGES = ['parse', 'validate', 'authenticate', 'authorise', 'policy', 'idempotency', 'dispatch', 'audit'] as const;

/** A pipeline stage. */
export type Stage = (typeof STAGES)[number];

/** One catalog entry. */
export interface ErrorSpec {
  readonly stage: Stage;
  readonly status: number;
  /** True when the same request may succeed later (the adapter sets `Retry-After`). */
  readonly retryable: boolean;
  /** Seconds a retry should wait, when a second is too soon to make a difference. */
  readonly retryAfterS?: number;
  readonly description: string;
}

/** Every refusal code. The planner's refusal codes (services/planner/src/domain/refusal.ts) all appear with 422. */
export const errorCatalog = {
  malformed_json: { stage: 'parse', status: 400, retryable: false, description: 'the body is not JSON, or holds a number JSON cannot round-trip' },
  payload_too_large: { stage: 'parse', status: 413, retryable: false, description: 'the body exceeds the gateway\'s size limit' },
  nesting_too_deep: { stage: 'parse', status: 400, retryable: false, description: 'the body nests arrays and objects deeper than GATEWAY_MAX_JSON_DEPTH (64 levels by default)' },
  unsupported_media_type: { stage: 'parse', status: 415, retryable: false, description: 'the body is not sent as application/json' },
  malformed_url: { stage: 'parse', status: 400, retryable: false, description: 'the path cannot be decoded (a broken percent-escape, for example %E0%A4%A)' },
  malformed_request: { stage: 'parse', status: 400, retryable: false, description: 'the bytes sent cannot be read as an HTTP/1.1 request; the connection is closed after the answer' },
  headers_too_large: { stage: 'parse', status: 431, retryable: false, description: 'the request line and headers together exceed 16 KB (a path that long, or a huge header); the connection is closed after the answer' },
  request_timeout: { stage: 'parse', status: 408, retryable: true, description: 'the request did not arrive whole in time; the connection is closed after the answer' },
  unknown_route: { stage: 'parse', status: 404, retryable: false, description: 'no such path or method on the gateway' },
  unknown_operation: { stage: 'parse', status: 404, retryable: false, description: 'no such MAESTRO operation; the refusal lists the operations that exist' },
  schema_violation: { stage: 'validate', status: 400, retryable: false, description: 'the envelope or payload does not match the operation\'s JSON Schema; each reason names the field' },
  invalid_idempotency_key: { stage: 'validate', status: 400, retryable: false, description: 'the Idempotency-Key header is not 8 to 128 characters of [A-Za-z0-9_-]' },
  unknown_caller: { stage: 'authenticate', status: 401, retryable: false, description: 'the caller is not in the trust store' },
  bad_signature: { stage: 'authenticate', status: 401, retryable: false, description: 'the signature does not verify over the canonical request with the caller\'s key' },
  stale_timestamp: { stage: 'authenticate', status: 401, retryable: false, description: 'the envelope\'s timestamp is outside the accepted window around the gateway\'s clock' },
  replayed_nonce: { stage: 'authenticate', status: 401, retryable: false, description: 'the nonce was already used by this caller within the window; sign a retry afresh' },
  missing_capability: { stage: 'authorise', status: 403, retryable: false, description: 'the caller does not hold the capability the operation requires' },
  tenant_mismatch: { stage: 'authorise', status: 403, retryable: false, description: 'the call names a tenant other than the caller\'s own' },
  policy_denied: { stage: 'policy', status: 403, retryable: false, description: 'a policy hook denied the call; the reasons name the hook' },
  idempotency_key_reused: { stage: 'idempotency', status: 409, retryable: false, description: 'the Idempotency-Key was already used with a different operation or payload' },
  idempotency_window_closed: { stage: 'idempotency', status: 409, retryable: false, description: 'the call with this Idempotency-Key ended 503 or 504 and GATEWAY_RETRY_WINDOW_MS has passed since its first attempt; read the state before a new call with a new key' },
  idempotency_in_progress: { stage: 'idempotency', status: 409, retryable: true, description: 'a call with the same Idempotency-Key is still being processed; retry for its stored response' },
  version_conflict: { stage: 'dispatch', status: 409, retryable: false, description: 'the expected graph version is not the current one; read it and try again' },
  not_found: { stage: 'dispatch', status: 404, retryable: false, description: 'the charter, goal, version or work order named does not exist in the caller\'s tenant' },
  invalid_input: { stage: 'dispatch', status: 422, retryable: false, description: 'the planner refused numbers or references that the schema cannot check' },
  duplicate_step: { stage: 'dispatch', status: 422, retryable: false, description: 'a step id is declared more than once in the goal' },
  unknown_dependency: { stage: 'dispatch', status: 422, retryable: false, description: 'a dependency names a step the goal does not declare' },
  cycle: { stage: 'dispatch', status: 422, retryable: false, description: 'the dependencies form a cycle; details list it' },
  missing_premise: { stage: 'dispatch', status: 422, retryable: false, description: 'no allowed executor can run some step; details say what each lacks' },
  budget_exhausted: { stage: 'dispatch', status: 422, retryable: false, description: 'the cheapest possible plan exceeds the charter\'s cost or token budget' },
  deadline_infeasible: { stage: 'dispatch', status: 422, retryable: false, description: 'no schedule meets the charter\'s deadline; details carry the critical path' },
  contradictory_constraints: { stage: 'dispatch', status: 422, retryable: false, description: 'the charter\'s constraints cannot all hold at once (e.g. deadline needs more than the budget pays for)' },
  limit_exceeded: { stage: 'dispatch', status: 422, retryable: false, description: 'the call would take a charter past a documented maximum (goals per charter, or the stored size of its state); nothing was applied' },
  unrecoverable_failure: { stage: 'dispatch', status: 422, retryable: false, description: 'a failed step has neither retries nor a compensation left' },
  invalid_query: { stage: 'validate', status: 400, retryable: false, description: 'a read\'s query string is not understood (unknown parameter, bad limit, cursor, kind, severity or time); each reason names the parameter' },
  missing_credential: { stage: 'authenticate', status: 401, retryable: false, description: 'a read or job submission carries no Authorization: Bearer <token> header (tokens are made with npm run maestro -- token add)' },
  invalid_credential: { stage: 'authenticate', status: 401, retryable: false, description: 'the bearer token is not one the gateway knows, or its secret is wrong' },
  unknown_resource: { stage: 'dispatch', status: 404, retryable: false, description: 'no asset or job with this id in the caller\'s tenant (another tenant\'s ids answer the same)' },
  unavailable: { stage: 'dispatch', status: 503, retryable: true, description: 'the gateway is closing or a service it needs is unavailable; retry after the indicated delay' },
  deadline_exceeded: { stage: 'dispatch', status: 504, retryable: true, description: 'the service did not answer before the call\'s deadline; the call may still take effect, so retry with the same Idempotency-Key' },
  state_unreadable: { stage: 'dispatch', status: 503, retryable: true, retryAfterS: 60, description: 'the charter is held: a newest record of its stored state could not be read when the service rebuilt its working copy (it is in the topic\'s dead-letter topic); nothing was applied; while it is held the service reads the topic again every minute, and the hold lifts once the record reads (a restored registry, or the record written anew), so a retry after Retry-After may succeed' },
  internal: { stage: 'dispatch', status: 500, retryable: false, description: 'Maestro itself failed; the reasons carry an incident id, never the caller\'s mistake' },
} as const satisfies Record<string, ErrorSpec>;

/** A refusal code. */
export type ErrorCode = keyof typeof errorCatalog;

/** True when `code` is in the catalog (for codes arriving as strings from a service reply). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}

/** The HTTP status of a code: the only place a domain code becomes a status. */
export function httpStatusOf(code: ErrorCode): number {
  return errorCatalog[code].status;
}
