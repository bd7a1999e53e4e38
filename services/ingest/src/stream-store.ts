import type { Keyspace, Redis } from '@maestro/state';
import { parseStreamState, type AssetStreamState, type OrderingConfig } from './domain';

/** Per-asset ordering state in Redis: one MGET and one pipelined write per consumed batch. */
export interface StreamStore {
  load(assetIds: readonly string[]): Promise<Map<string, AssetStreamState>>;
  save(states: ReadonlyMap<string, AssetStreamState>): Promise<void>;
}

export function createStreamStore(redis: Redis, keys: Keyspace, config: OrderingConfig, ttlMs: number): StreamStore {
  const keyOf = (assetId: string) => keys.key('ingest', 'stream', assetId);
  return {
    async load(assetIds) {
      const out = new Map<string, AssetStreamState>();
      if (assetIds.length === 0) return out;
      const raw = await redis.mget(assetIds.map(keyOf));
      assetIds.forEach((id, i) => {
        const text = raw[i];
        // A corrupt entry is treated as a fresh stream rather than blocking the asset forever.
        const state = text ? parseStreamState(JSON.parse(text), config) : null;
        if (state) out.set(id, state);
      });
      return out;
    },
    async save(states) {
      if (states.size === 0) return;
      const pipeline = redis.pipeline();
      // Expiry: an asset silent for longer than this starts a fresh stream, which is what it is.
      for (const [id, state] of states) pipeline.set(keyOf(id), JSON.stringify(state), 'PX', ttlMs);
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },
  };
}
