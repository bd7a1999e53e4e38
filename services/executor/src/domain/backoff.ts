/**
 * Delay before retry number `retry` (1 for the first retry): `baseMs`, doubling, capped at `maxMs`.
 * No jitter: one executor retries one receiver, so there is no herd to spread, and a fixed schedule
 * is what an operator can read off the audit record.
 */
export function retryDelayMs(retry: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
}

/** Whether a webhook answer is worth another try: the receiver's trouble (5xx), or it asked us to slow down (429, 408). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}
