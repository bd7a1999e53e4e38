/**
 * Keeps a service's working copy whole. Redis keeps nothing on disk, so a Redis restart or flush
 * empties it under running services; a marker key, set after each replay of the compacted state
 * topic, tells a whole copy from an emptied one. The protocol handler reads the marker in the MGET
 * it makes per batch anyway and calls `restore` when it is gone; timers call `ensure` (one EXISTS).
 * Concurrent restores share one replay.
 */
import type { TopicSpec } from '@maestro/contracts';
import type { Redis } from '@maestro/state';
import type { Logger } from 'pino';
import { replayCompacted, type ReplayOptions } from './compacted-replay';
import type { HeldCharter } from './held-charter';
import { infra } from './protocol-handler';

export interface ReplayGuardOptions<T extends TopicSpec> extends ReplayOptions<T> {
  markerKey: string;
  /** Where a held charter's reason is kept (compacted-replay.ts), by its scope. */
  heldKey(scope: string): string;
  /** The set of held scopes, so that the next replay can lift the holds it does not find again. */
  heldIndexKey: string;
  /** The unreadable records already dead-lettered (compacted-replay.ts `letteredKey`). */
  letteredKey: string;
  logger: Logger;
  /** Runs after each replay with the entities whose keys it wrote. */
  onReplayed?(writtenIds: readonly string[]): Promise<void>;
}

export interface ReplayGuard {
  /** The key whose absence means the working copy was lost. */
  readonly markerKey: string;
  /** Where a held charter's reason is kept, by its scope; absent when the charter is not held. */
  heldKey(scope: string): string;
  /** Replays the compacted topic into Redis and sets the marker (joins a replay in flight). */
  restore(): Promise<void>;
  /** Resolves once the working copy is known to be whole: restores it when the marker is gone. */
  ensure(): Promise<void>;
  /** While a charter is held, replays again: a record made readable since (a restored registry) lifts its hold. */
  recheckHeld(): Promise<void>;
}

export function createReplayGuard<T extends TopicSpec>(options: ReplayGuardOptions<T>): ReplayGuard {
  const redis: Redis = options.redis;
  let running: Promise<void> | null = null;

  async function replay(why: 'lost' | 'recheck'): Promise<void> {
    const startedAt = Date.now();
    const previous = await heldNow();
    const result = await infra(replayCompacted({ ...options, beforeWrite: (held) => addHolds(held, previous) }));
    const lifted = [...previous.keys()].filter((scope) => !result.held.has(scope));
    await liftHolds(lifted);
    // A held charter's calls are refused, so nothing is asked of it (the dispatcher's lease expiries).
    if (options.onReplayed) await infra(options.onReplayed(result.writtenIds.filter((id) => !result.held.has(id))));
    await infra(redis.set(options.markerKey, String(Date.now())));
    const fields = { records: result.records, written: result.written, held: result.held.size, lifted: lifted.length, ms: Date.now() - startedAt };
    if (why === 'lost') options.logger.info(fields, 'the working copy in redis was missing or lost; state replayed into it');
    else {
      if (lifted.length > 0) options.logger.info({ ...fields, scopes: lifted }, 'held charters read again and restored; their holds are lifted');
      if (result.held.size > 0) options.logger.info({ ...fields, scopes: [...result.held.keys()] }, 'charters still held after a recheck: a newest record of theirs still cannot be read');
    }
    for (const [scope, held] of result.held) {
      if (!previous.has(scope)) options.logger.warn({ scope, records: held.records }, `charter held: ${held.reason}; its calls are refused with state_unreadable until a replay reads it`);
    }
    for (const lost of result.lostLetters) options.logger.error({ topic: options.codecs.topicName(options.spec), ...lost }, 'an unreadable state record could not be written to its dead-letter topic even as a summary; the next replay tries it again');
    if (result.unscoped > 0 && why === 'lost') options.logger.warn({ unscoped: result.unscoped }, 'unreadable state records with no charter in their key were dead-lettered and left out of the copy');
  }

  /** The charters held now, with their reasons (null for one whose reason is gone: it is lifted or held anew all the same). */
  async function heldNow(): Promise<Map<string, HeldCharter | null>> {
    const scopes = await infra(redis.smembers(options.heldIndexKey));
    if (scopes.length === 0) return new Map();
    const texts = await infra(redis.mget(scopes.map(options.heldKey)));
    return new Map(scopes.map((scope, i) => [scope, texts[i] ? (JSON.parse(texts[i]) as HeldCharter) : null]));
  }

  /**
   * Holds this replay's charters before any state is written, so no call meets a held charter half
   * restored; a charter held already keeps the time its hold began.
   */
  async function addHolds(held: ReadonlyMap<string, HeldCharter>, previous: ReadonlyMap<string, HeldCharter | null>): Promise<void> {
    if (held.size === 0) return;
    const tx = redis.multi();
    for (const [scope, reason] of held) tx.set(options.heldKey(scope), JSON.stringify({ ...reason, heldAtMs: previous.get(scope)?.heldAtMs ?? reason.heldAtMs }));
    tx.sadd(options.heldIndexKey, ...held.keys());
    await infra(tx.exec());
  }

  /** Lifts the holds this replay did not find again, once their state is written. */
  async function liftHolds(scopes: readonly string[]): Promise<void> {
    if (scopes.length === 0) return;
    await infra(redis.multi().del(...scopes.map(options.heldKey)).srem(options.heldIndexKey, ...scopes).exec());
  }

  function restore(why: 'lost' | 'recheck' = 'lost'): Promise<void> {
    running ??= replay(why).finally(() => { running = null; });
    return running;
  }

  return {
    markerKey: options.markerKey,
    heldKey: options.heldKey,
    restore: () => restore(),
    async ensure() {
      if (running) return running;
      if ((await infra(redis.exists(options.markerKey))) === 1) return;
      return restore();
    },
    async recheckHeld() {
      if (running) return running;
      if ((await infra(redis.scard(options.heldIndexKey))) === 0) return;
      return restore('recheck');
    },
  };
}
