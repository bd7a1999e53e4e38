/**
 * Keeps a service's working copy whole. Redis keeps nothing on disk, so a Redis restart or flush
 * empties it under running services; a marker key, set after each replay of the compacted state
 * topic, tells a whole copy from an emptied one. `ensure` runs before every batch and sweep: one
 * EXISTS normally, a replay when the marker is gone (concurrent callers share it).
 */
import type { TopicSpec } from '@maestro/contracts';
import type { Redis } from '@maestro/state';
import type { Logger } from 'pino';
import { replayCompacted, type ReplayOptions } from './compacted-replay';
import { infra } from './protocol-handler';

export interface ReplayGuardOptions<T extends TopicSpec> extends ReplayOptions<T> {
  markerKey: string;
  logger: Logger;
  /** Runs after each replay with the entities whose keys it wrote. */
  onReplayed?(writtenIds: readonly string[]): Promise<void>;
}

export interface ReplayGuard {
  /** Resolves once the working copy is known to be whole. */
  ensure(): Promise<void>;
}

export function createReplayGuard<T extends TopicSpec>(options: ReplayGuardOptions<T>): ReplayGuard {
  const redis: Redis = options.redis;
  let running: Promise<void> | null = null;

  async function replay(reason: string): Promise<void> {
    const startedAt = Date.now();
    const result = await infra(replayCompacted(options));
    if (options.onReplayed) await infra(options.onReplayed(result.writtenIds));
    await infra(redis.set(options.markerKey, String(Date.now())));
    options.logger.info({ reason, records: result.records, written: result.written, ms: Date.now() - startedAt }, 'state replayed into redis');
  }

  return {
    async ensure() {
      if (running) return running;
      if ((await infra(redis.exists(options.markerKey))) === 1) return;
      running ??= replay('the working copy in redis is missing or was lost').finally(() => { running = null; });
      return running;
    },
  };
}
