/**
 * When to restart a service that died. Pure: the supervisor passes how long the process had been up
 * and how many quick deaths came before, and gets the wait and the new count back.
 *
 * A process that ran for a while before dying (a lost broker connection, an OOM) is restarted at once
 * with the shortest wait; one that dies again right after starting (a bad config, a port taken) backs
 * off exponentially, so a crash loop costs little CPU and its log stays readable.
 */
export interface RestartBackoff {
  /** Wait before the first restart, and after a process that stayed up. @default 1000 */
  readonly initialMs: number;
  /** Longest wait between two restarts. @default 30000 */
  readonly maxMs: number;
  /** A process up at least this long counts as healthy: its death starts the backoff over. @default 60000 */
  readonly healthyAfterMs: number;
}

export const defaultRestartBackoff: RestartBackoff = Object.freeze({ initialMs: 1_000, maxMs: 30_000, healthyAfterMs: 60_000 });

export interface RestartDecision {
  /** How long to wait before starting the process again. */
  readonly delayMs: number;
  /** Deaths in a row that came soon after a start, this one included. */
  readonly quickDeaths: number;
}

/** The wait before the next start of a process that died after `uptimeMs`, following `quickDeaths` quick deaths. */
export function nextRestart(uptimeMs: number, quickDeaths: number, policy: RestartBackoff = defaultRestartBackoff): RestartDecision {
  const count = uptimeMs >= policy.healthyAfterMs ? 1 : quickDeaths + 1;
  const delayMs = Math.min(policy.maxMs, policy.initialMs * 2 ** (count - 1));
  return { delayMs, quickDeaths: count };
}
