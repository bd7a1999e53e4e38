import type { Keyspace, Redis } from '@maestro/state';
import { OPTIMIZER_STATE_VERSION, type OptimizerState } from './domain';

/**
 * Optimiser state per asset in Redis, as the core's plain JSON (under 16 KB per asset, bounded by a test): one MGET and
 * one pipelined SET per consumed batch. Assets live on one partition each, so two batches handled
 * concurrently never touch the same key; a plain SET is enough, no read-modify-write script.
 */
export interface AssetStore {
  /** State of each asset, or null for an asset not seen yet (or whose state expired). */
  load(assetIds: readonly string[]): Promise<Map<string, OptimizerState | null>>;
  save(states: ReadonlyMap<string, OptimizerState>): Promise<void>;
}

/** The Redis key of an asset's state; exported for tests that inspect it. */
export function assetKey(keys: Keyspace, assetId: string): string {
  return keys.key('optimizer', 'asset', assetId);
}

/**
 * A stored state of another layout version is dropped (the asset starts over) rather than misread:
 * the state is a cache of recent history that rebuilds itself within one stabilisation window.
 */
function restore(text: string | null): OptimizerState | null {
  if (!text) return null;
  const parsed = JSON.parse(text) as Partial<OptimizerState>;
  return parsed.v === OPTIMIZER_STATE_VERSION ? (parsed as OptimizerState) : null;
}

/** `ttlMs` bounds how long a silent asset's state is kept. */
export function createAssetStore(redis: Redis, keys: Keyspace, ttlMs: number): AssetStore {
  return {
    async load(assetIds) {
      const out = new Map<string, OptimizerState | null>();
      if (assetIds.length === 0) return out;
      const raw = await redis.mget(assetIds.map((id) => assetKey(keys, id)));
      assetIds.forEach((id, i) => out.set(id, restore(raw[i] ?? null)));
      return out;
    },
    async save(states) {
      if (states.size === 0) return;
      const pipeline = redis.pipeline();
      for (const [id, state] of states) pipeline.set(assetKey(keys, id), JSON.stringify(state), 'PX', ttlMs);
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },
  };
}
