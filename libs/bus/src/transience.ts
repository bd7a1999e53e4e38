/**
 * Whether a failure is transient (retry the batch with backoff, dead-letter nothing) or permanent (the
 * record in hand is the problem: find it, dead-letter it with the reason, move on). The consumer asks
 * this in one place; handlers steer it with markers rather than by catching and rewrapping.
 *
 * Each error of the cause chain (`cause`, kafkajs's `originalError`) may vote:
 * - `transient: true` (TransientError, libs/protocol's InfraError) or `transient: false`, explicitly;
 * - a BusError by its catalog's `retryable`;
 * - a kafkajs error by its `retriable` (a broker's definite answer such as "message too large" is
 *   not retriable); kafkajs's "retries exhausted" wrapper is transient: the broker kept failing;
 * - connection and timeout errors of Node, ioredis and fetch, and Redis's "try again" answers, are
 *   transient.
 * A permanent vote anywhere wins (an I/O wrapper around "record too large" must not retry forever),
 * then a transient one; an error nobody recognises is permanent: a handler's bug on this record.
 */
const TRANSIENT_NAMES = new Set(['TransientError', 'ProduceTimeoutError', 'MaxRetriesPerRequestError', 'AbortError', 'TimeoutError']);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ERR_SOCKET_CLOSED']);
/** Redis answers that mean "not now" (loading a snapshot, a script running, failover, out of memory). */
const REDIS_TRY_LATER = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS|OOM) /;
const REDIS_CONNECTION = /^(Connection is closed\.|Stream isn't writeable)/;

type Vote = 'transient' | 'permanent' | null;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  transient?: unknown;
  retryable?: unknown;
  retriable?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

function voteOf(error: ErrorLike): Vote {
  if (error.transient === true) return 'transient';
  if (error.transient === false) return 'permanent';
  const name = typeof error.name === 'string' ? error.name : '';
  if (name === 'BusError' && typeof error.retryable === 'boolean') return error.retryable ? 'transient' : 'permanent';
  if (name === 'KafkaJSNumberOfRetriesExceeded') return 'transient';
  if (name === 'KafkaJSNonRetriableError') return null; // a wrapper: its cause says why
  if (name.startsWith('KafkaJS') && typeof error.retriable === 'boolean') return error.retriable ? 'transient' : 'permanent';
  if (TRANSIENT_NAMES.has(name)) return 'transient';
  if (typeof error.code === 'string' && TRANSIENT_CODES.has(error.code)) return 'transient';
  const message = typeof error.message === 'string' ? error.message : '';
  if (REDIS_CONNECTION.test(message) || (name === 'ReplyError' && REDIS_TRY_LATER.test(message))) return 'transient';
  return null;
}

/** True when retrying the same work later can succeed; false when the record itself is the problem. */
export function isTransient(error: unknown): boolean {
  let sawTransient = false;
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 8; depth++) {
    const e = current as ErrorLike;
    const vote = voteOf(e);
    if (vote === 'permanent') return false;
    if (vote === 'transient') sawTransient = true;
    current = e.cause ?? e.originalError;
  }
  return sawTransient;
}
