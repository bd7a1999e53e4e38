/**
 * Stage 3, authenticate: the caller is known, the timestamp is fresh and the signature verifies
 * over the canonical request. Checks run cheapest first; the signature is verified last.
 *
 * Replay protection needs shared state (the nonce store is Redis, in an adapter), so this stage
 * returns the nonce key and TTL to reserve; the adapter reserves it atomically (SET NX PX) and
 * hands the answer to {@link refuseIfReplayed}.
 */
import type { RequestBody } from './signature';
import { verifySignature } from './signature';
import type { Principal, TrustStore } from './trust-store';
import type { StageResult } from './refusal';
import { fail, pass, refuse } from './refusal';
import type { Refusal } from './refusal';

/** Authentication settings, resolved once at boot. */
export interface AuthConfig {
  /**
   * How far an envelope's timestamp may be from the gateway's clock, either way.
   * @default 300_000 (±5 min: generous for client clock skew, short enough to bound the nonce store)
   */
  readonly timestampWindowMs: number;
}

/** The default authentication settings. */
export const DEFAULT_AUTH_CONFIG: AuthConfig = Object.freeze({ timestampWindowMs: 300_000 });

/** The nonce to reserve: a key (without the deployment's key prefix) and how long to keep it. */
export interface NonceReservation {
  readonly key: string;
  readonly ttlMs: number;
}

/** A caller that passed the stage, and the nonce the adapter must still reserve. */
export interface Authenticated {
  readonly principal: Principal;
  readonly nonce: NonceReservation;
}

/**
 * Authenticates a parsed and schema-valid request body for `operation` at `nowMs`.
 * A timestamp exactly `timestampWindowMs` away is accepted; one millisecond more is not.
 */
export function authenticate(operation: string, body: RequestBody, trust: TrustStore, config: AuthConfig, nowMs: number): StageResult<Authenticated> {
  const { envelope, payload } = body;
  const known = trust.get(envelope.caller);
  if (!known) return fail(refuse('unknown_caller', [`caller '${envelope.caller}' is not in the trust store`]));

  const skewMs = nowMs - envelope.timestampMs;
  if (Math.abs(skewMs) > config.timestampWindowMs) {
    const direction = skewMs > 0 ? 'behind' : 'ahead of';
    return fail(refuse('stale_timestamp', [`timestamp ${envelope.timestampMs} is ${Math.abs(skewMs)} ms ${direction} the gateway's clock; the window is ±${config.timestampWindowMs} ms`],
      { details: { timestampMs: envelope.timestampMs, nowMs, windowMs: config.timestampWindowMs } }));
  }

  if (envelope.signature === undefined) {
    return fail(refuse('bad_signature', [`the envelope carries no signature; sign the canonical request for '${operation}' with the key of '${envelope.caller}'`]));
  }
  const fields = { operation, caller: envelope.caller, tenant: envelope.tenant, capability: envelope.capability, timestampMs: envelope.timestampMs, nonce: envelope.nonce, payload };
  if (!verifySignature(known.publicKey, fields, envelope.signature)) {
    return fail(refuse('bad_signature', [`the signature does not verify over the canonical request for '${operation}' with the key of '${envelope.caller}'`]));
  }

  const { caller, tenant, capabilities } = known;
  return pass({ principal: { caller, tenant, capabilities }, nonce: nonceReservation(caller, envelope.nonce, config) });
}

/**
 * The nonce key and TTL. The TTL is twice the window, not the time left in it: gateway replicas'
 * clocks differ, and a nonce must outlive every replica's view of the window in which its timestamp
 * is still accepted. After that the timestamp check refuses the replay on its own.
 */
export function nonceReservation(caller: string, nonce: string, config: AuthConfig): NonceReservation {
  // Caller ids may contain ':' but nonces cannot (schema: [A-Za-z0-9_-]), so the key is unambiguous.
  return { key: `nonce:${caller}:${nonce}`, ttlMs: 2 * config.timestampWindowMs };
}

/**
 * Turns the nonce store's answer into the stage's verdict: `reserved` is true when this call set
 * the key (first use) and false when it already existed (a replay).
 */
export function refuseIfReplayed(reserved: boolean, caller: string, nonce: string): Refusal | null {
  if (reserved) return null;
  return refuse('replayed_nonce', [`nonce '${nonce}' was already used by '${caller}' within the window; sign each attempt, retries included, with a fresh nonce`]);
}
