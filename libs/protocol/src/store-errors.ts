/**
 * Which Redis failures of a protocol request can heal by retrying it, and which cannot.
 *
 * A request's batch is retried while the store is away (connection refused or closed, a timeout,
 * ioredis giving up) or says "not now" (LOADING, BUSY, TRYAGAIN, a failover's READONLY or
 * MASTERDOWN, …), or refuses the connection's credentials (NOAUTH, WRONGPASS, NOPERM: fixed by an
 * operator, not by the request). Every other error reply is Redis refusing the command itself — a
 * key of the wrong type (WRONGTYPE), a script that fails (ERR … user_script), memory full under
 * `noeviction` (OOM) — and the same command fails the same way on every retry, holding the charter's
 * partition, and every charter behind it, for ever. Those are permanent: the request is answered
 * (an `internal` error with an incident id, and its audit record) and nothing of it is applied.
 */

/** Error replies that a later attempt of the same command can get past. */
const RETRY_LATER = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS|NOAUTH|WRONGPASS|NOPERM|MOVED|ASK)\b/;

/** True for a Redis error reply that retrying the same command cannot get past. */
export function isPermanentStoreError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return false;
  return !RETRY_LATER.test(error.message);
}

/** A Redis command refused for good: the request is answered, not retried. */
export class StoreError extends Error {
  /** Marks it permanent for the bus's classification (libs/bus transience.ts). */
  readonly transient = false;

  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'StoreError';
  }
}
