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
import { replayCompacted, type HeldCharter, type ReplayOptions } from './compacted-replay';
import { infra } from './protocol-handler';

export interface ReplayGuardOptions<T extends TopicSpec> extends ReplayOptions<T> {
  markerKey: string;
  /** Where a held charter's reason is kept (compacted-replay.ts), by its scope. */
  heldKey(scope: string): string;
  /** The set of held scopes, so that the next replay can lift the holds it does not find again. */
  heldIndexKey: string;
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
}

export function createReplayGuard<T extends TopicSpec>(options: ReplayGuardOptions<T>): ReplayGuard {
  const redis: Redis = options.redis;
  let running: Promise<void> | null = null;

  async function replay(): Promise<void> {
    const startedAt = Date.now();
    const result = await infra(replayCompacted({ ...options, beforeWrite: hold }));
    // A held charter's calls are refused, so nothing is asked of it (the dispatcher's lease expiries).
    if (options.onReplayed) await infra(options.onReplayed(result.writtenIds.filter((id) => !result.held.has(id))));
    await infra(redis.set(options.markerKey, String(Date.now())));
    options.logger.info({ records: result.records, written: result.written, held: result.held.size, ms: Date.now() - startedAt }, 'the working copy in redis was missing or lost; state replayed into it');
    for (const [scope, held] of result.held) options.logger.warn({ scope, records: held.records }, `charter held: ${held.reason}; its calls are refused with state_unreadable until a replay reads it`);
    if (result.unscoped > 0) options.logger.warn({ unscoped: result.unscoped }, 'unreadable state records with no charter in their key were dead-lettered and left out of the copy');
  }

  /** Replaces the holds of the last replay with this one's, before any state is written, so no call meets a held charter half restored. */
  async function hold(held: ReadonlyMap<string, HeldCharter>): Promise<void> {
    const previous = await infra(redis.smembers(options.heldIndexKey));
    const tx = redis.multi();
    if (previous.length > 0) tx.del(...previous.map(options.heldKey), options.heldIndexKey);
    for (const [scope, reason] of held) tx.set(options.heldKey(scope), JSON.stringify(reason));
    if (held.size > 0) tx.sadd(options.heldIndexKey, ...held.keys());
    await infra(tx.exec());
  }

  function restore(): Promise<void> {
    running ??= replay().finally(() => { running = null; });
    return running;
  }

  return {
    markerKey: options.markerKey,
    heldKey: options.heldKey,
    restore,
    async ensure() {
      if (running) return running;
      if ((await infra(redis.exists(options.markerKey))) === 1) return;
      return restore();
    },
  };
}
