/**
 * The leader lease: of all discovery replicas, only the one holding a lease key in Redis reconciles,
 * polls providers and publishes. Acquired with SET NX PX, renewed by a compare-and-extend script
 * every third of its TTL, released by a compare-and-delete on shutdown. A replica killed without a
 * release is replaced once its lease expires, so takeover takes at most a TTL plus a renewal period.
 *
 * Redis cannot fence Kafka: a leader paused past its lease (a GC pause, a partitioned network) could
 * still publish once. The holder therefore only calls itself leader while its lease has at least a
 * renewal period left by its own clock (see `isLeader`), and the state save is refused by Redis
 * once another replica holds the lease (`registry-store.ts`), which tells the old leader to stop.
 */
import type { Logger } from '@maestro/bus';
import type { Redis } from '@maestro/state';

/*
 * KEYS[1]  the lease key; its value is the holder's replica id
 * ARGV[1]  this replica's id
 * ARGV[2]  lease TTL, ms
 * Returns 1 when the lease was extended, 0 when another replica (or none) holds it. Compare and
 * extend in one step: a lease that expired and was taken by another replica must not be extended.
 */
const EXTEND_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/*
 * KEYS[1]  the lease key
 * ARGV[1]  this replica's id
 * Returns 1 when the lease was released, 0 when it was not held by this replica (it expired and
 * maybe went to another one, whose lease must survive our shutdown).
 */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

interface LeaseCommands {
  discoveryExtendLease(key: string, holder: string, ttlMs: number): Promise<number>;
  discoveryReleaseLease(key: string, holder: string): Promise<number>;
}

export interface LeaderLeaseOptions {
  redis: Redis;
  key: string;
  /** This replica's id, stored as the lease value. */
  holder: string;
  /** How long a lease lasts without renewal: the longest a dead leader blocks a takeover. */
  ttlMs: number;
  logger: Logger;
  now: () => number;
  /** Called after each acquisition with the new term (1, 2, …). */
  onAcquired(term: number): void;
  /** Called when a held lease is lost or could not be renewed in time. */
  onLost(reason: string): void;
}

export interface LeaderLease {
  /** Starts the acquire/renew loop; the first attempt is immediate. */
  start(): void;
  /** True while this replica holds the lease with at least one renewal period left on it. */
  isLeader(): boolean;
  /** Counts acquisitions: state loaded under an older term may have been changed by another leader. */
  term(): number;
  /** True when the loop has reached Redis within the last TTL (readiness; leader or standby). */
  healthy(): boolean;
  /** Gives the lease up locally after Redis said another replica holds it (a refused save). */
  forfeit(reason: string): void;
  /** Stops the loop and releases the lease if held. Safe to call twice. */
  stop(): Promise<void>;
}

export function createLeaderLease(options: LeaderLeaseOptions): LeaderLease {
  const { redis, key, holder, ttlMs, logger, now } = options;
  redis.defineCommand('discoveryExtendLease', { numberOfKeys: 1, lua: EXTEND_LEASE });
  redis.defineCommand('discoveryReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE });
  const commands = redis as unknown as LeaseCommands;
  // A third of the TTL: two renewals may fail (a Redis failover) before the lease is at risk.
  const renewEveryMs = Math.max(50, Math.floor(ttlMs / 3));

  let held = false;
  let validUntilMs = 0;
  let currentTerm = 0;
  let lastContactMs: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | null = null;

  function lose(reason: string): void {
    if (!held) return;
    held = false;
    logger.warn({ reason, term: currentTerm }, 'leader lease lost; standing by');
    options.onLost(reason);
  }

  async function tick(): Promise<void> {
    const startedMs = now();
    try {
      if (held) {
        if ((await commands.discoveryExtendLease(key, holder, ttlMs)) === 1) validUntilMs = startedMs + ttlMs;
        else lose('another replica holds the lease');
      } else if ((await redis.set(key, holder, 'PX', ttlMs, 'NX')) === 'OK') {
        held = true;
        validUntilMs = startedMs + ttlMs;
        currentTerm += 1;
        logger.info({ term: currentTerm, ttlMs }, 'leader lease acquired');
        options.onAcquired(currentTerm);
      }
      lastContactMs = now();
    } catch (err: unknown) {
      logger.error({ err, held }, 'leader lease: Redis did not answer; retrying');
      if (held && now() >= validUntilMs - renewEveryMs) lose('lease could not be renewed in time');
    }
  }

  function schedule(): void {
    if (stopping) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(schedule);
    }, renewEveryMs);
  }

  return {
    start() {
      inFlight = tick().finally(schedule);
    },
    isLeader: () => held && now() < validUntilMs - renewEveryMs,
    term: () => currentTerm,
    healthy: () => lastContactMs !== null && now() - lastContactMs < ttlMs,
    forfeit: lose,
    stop() {
      stopping ??= (async () => {
        clearTimeout(timer);
        await inFlight;
        if (!held) return;
        held = false;
        const released = await commands.discoveryReleaseLease(key, holder);
        logger.info({ released: released === 1, term: currentTerm }, 'leader lease released');
      })();
      return stopping;
    },
  };
}
