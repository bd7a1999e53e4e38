/**
 * Brings back a kafkajs consumer that kafkajs gave up on. kafkajs restarts a crashed consumer itself
 * only when it deems the error retriable, and some errors it does not are passing states of a broker
 * that restarts: no group coordinator yet while the offsets topic loads (KafkaJSGroupCoordinatorNotFound),
 * a connection lost in the middle of the SASL exchange (KafkaJSSASLAuthenticationError "Not
 * connected"), a group ACL granted a moment after the service started. Left alone, such a consumer
 * never rejoins its group: the service answers /readyz 503 until someone restarts it. The chaos
 * benchmark's broker restart left the healer and the executor so for good.
 *
 * So every crash kafkajs does not restart from is restarted here, after a backoff that doubles up to
 * a bound and starts again once the group is joined, until the consumer is stopped. A cause that does
 * not pass (a missing ACL) keeps the service not ready and logs each attempt; it never stops trying.
 */
export interface CrashRestarter {
  /** kafkajs reported a crash; `restarting` is whether kafkajs restarts the consumer itself. */
  crashed(restarting: boolean): void;
  /** The consumer joined its group: the next give-up starts from the first backoff again. */
  joined(): void;
  /** The consumer is being stopped: no restart is scheduled any more, a pending one is dropped. */
  stop(): void;
}

export interface CrashRestarterOptions {
  /** Connects the consumer again and runs it (it keeps its subscriptions across a disconnect). */
  restart: () => Promise<void>;
  /** Told of each restart and of each one that failed (which schedules the next). */
  onRestart?: (attempt: number, delayMs: number) => void;
  onRestartFailed?: (error: unknown, attempt: number) => void;
  /** @default 500 */
  initialDelayMs?: number;
  /** @default 5000 */
  maxDelayMs?: number;
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
}

const realTimer = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return { cancel: () => clearTimeout(timer) };
};

export function createCrashRestarter(options: CrashRestarterOptions): CrashRestarter {
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const setTimer = options.setTimer ?? realTimer;
  let attempt = 0;
  let pending: { cancel(): void } | null = null;
  let stopped = false;

  function schedule(): void {
    if (stopped || pending) return;
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
    attempt += 1;
    const thisAttempt = attempt;
    options.onRestart?.(thisAttempt, delayMs);
    pending = setTimer(() => {
      pending = null;
      if (stopped) return;
      options.restart().catch((error: unknown) => {
        options.onRestartFailed?.(error, thisAttempt);
        schedule();
      });
    }, delayMs);
  }

  return {
    crashed(restarting) {
      if (!restarting) schedule();
    },
    joined() {
      attempt = 0;
    },
    stop() {
      stopped = true;
      pending?.cancel();
      pending = null;
    },
  };
}
