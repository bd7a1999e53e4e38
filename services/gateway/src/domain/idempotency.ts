/**
 * Stage 6, idempotency: a state-changing call that carries an `Idempotency-Key` header runs at most
 * once per key; a retry with the same key and the same request gets the stored response.
 *
 * The hash covers `{operation, payload}` and not the envelope: every attempt is signed afresh with
 * a new nonce and timestamp (the nonce check comes first and refuses an identical resend), so the
 * envelope always differs between a call and its retry.
 *
 * The record store is Redis (an adapter). The intended flow is one atomic reserve-or-get: it
 * either reserves the key with an in-flight record `{bodyHash}` and returns null, or returns the
 * record already there; {@link decideIdempotency} turns that answer into what to do.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ErrorCode } from './errors';
import { errorCatalog } from './errors';
import type { OperationSpec } from './operations';
import type { Refusal, StageResult } from './refusal';
import { fail, pass, refuse } from './refusal';
import type { Principal } from './trust-store';

/** Accepted keys: UUIDs and similar. No ':' so that the scoped key is unambiguous. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

/** A stored response, replayed verbatim. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The record kept per scoped key. Without `response`, an attempt is in flight, or the last attempt
 * ended without a known outcome (503, 504) and the retry window has closed (`retryWindowClosed`):
 * a retry within the window is not a record but a reservation (the store hands the key over).
 */
export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly response?: StoredResponse;
  readonly retryWindowClosed?: boolean;
}

/** Idempotency settings. */
export interface IdempotencyConfig {
  /** How long a key and its response are kept. @default 86_400_000 (24 h, Stripe's convention) */
  readonly ttlMs: number;
}

/** The default idempotency settings. */
export const DEFAULT_IDEMPOTENCY_CONFIG: IdempotencyConfig = Object.freeze({ ttlMs: 86_400_000 });

/** What to do with a call. */
export type IdempotencyDecision =
  /** No key, or a read-only operation: run the call, store nothing. */
  | { readonly kind: 'skip' }
  /** First use of the key (now reserved): run the call, then store the response under `key` if {@link shouldStoreResponse}. */
  | { readonly kind: 'proceed'; readonly key: string; readonly bodyHash: string; readonly ttlMs: number }
  /** A retry of a finished call: answer with the stored response. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'refuse'; readonly refusal: Refusal };

/** `sha256:<hex>` of the canonical JSON of `{operation, payload}`. */
export function bodyHash(operation: string, payload: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson({ operation, payload }), 'utf8').digest('hex')}`;
}

/** The store key of an Idempotency-Key: scoped per tenant and caller, so callers cannot collide or probe each other's keys. */
export function idempotencyScope(principal: Pick<Principal, 'tenant' | 'caller'>, key: string): string {
  return `idem:${principal.tenant}:${principal.caller}:${key}`;
}

/** Checks the header's value; an absent header is allowed (undefined). */
export function checkIdempotencyKey(raw: string | undefined): StageResult<string | undefined> {
  if (raw === undefined) return pass(undefined);
  if (IDEMPOTENCY_KEY_PATTERN.test(raw)) return pass(raw);
  return fail(refuse('invalid_idempotency_key', [`Idempotency-Key must be 8 to 128 characters of [A-Za-z0-9_-], got ${raw.length} characters`]));
}

/** Whether a call needs the store at all: only state-changing calls that carry a key. */
export function needsIdempotency(operation: OperationSpec, key: string | undefined): key is string {
  return key !== undefined && !operation.readOnly;
}

/** Decides from the record the reserve-or-get returned (null: the key was free and is now reserved). */
export function decideIdempotency(
  input: { readonly operation: OperationSpec; readonly principal: Principal; readonly key: string | undefined; readonly bodyHash: string },
  record: IdempotencyRecord | null,
  config: IdempotencyConfig,
): IdempotencyDecision {
  const { operation, principal, key } = input;
  if (!needsIdempotency(operation, key)) return { kind: 'skip' };
  if (record === null) return { kind: 'proceed', key: idempotencyScope(principal, key), bodyHash: input.bodyHash, ttlMs: config.ttlMs };
  if (record.bodyHash !== input.bodyHash) {
    return {
      kind: 'refuse',
      refusal: refuse('idempotency_key_reused', [`Idempotency-Key '${key}' was used for a different request; use a new key for a new request`],
        { details: { storedBodyHash: record.bodyHash, bodyHash: input.bodyHash } }),
    };
  }
  if (record.response !== undefined) return { kind: 'replay', response: record.response };
  if (record.retryWindowClosed === true) {
    return {
      kind: 'refuse',
      refusal: refuse('idempotency_window_closed', [`the call with Idempotency-Key '${key}' ended without a known outcome and the window for retrying it has closed; read the state (e.g. query.goals) before sending a new call with a new key`]),
    };
  }
  return { kind: 'refuse', refusal: refuse('idempotency_in_progress', [`the first call with Idempotency-Key '${key}' has not finished; retry to get its response`]) };
}

/**
 * Whether a finished call's response is stored for replay: success and non-retryable refusals are
 * (a retry would get the same answer); retryable ones (503, 504) are not: the call may or may not
 * have been applied, so the adapter keeps the record without a response and a retry is sent again
 * with the same correlation id (the service answers it with its kept reply if it did apply).
 * `code` is null for success.
 */
export function shouldStoreResponse(code: ErrorCode | null): boolean {
  return code === null || !errorCatalog[code].retryable;
}
