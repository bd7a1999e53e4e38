import type { Keyspace, Redis } from '@maestro/state';
import type { AssetInfo, CapClaim, HealingAction, HealingContext, Intervention, MetricSample } from './domain';

/** An action whose recovery the healer is watching, with the samples seen since it started. */
export interface TrackedAction {
  action: HealingAction;
  caps: readonly CapClaim[];
  samples: MetricSample[];
}

const HISTORY_LENGTH = 50;
/** Enough samples to judge any recovery condition; older ones are dropped first. */
const TRACKED_SAMPLES = 64;

/**
 * The healer's shared state in Redis: asset context (region, labels), intervention history and the
 * actions in flight. Every read and write is batched: one round trip per consumed batch.
 */
export interface HealerStore {
  contexts(assetIds: readonly string[]): Promise<Map<string, HealingContext>>;
  /** Records asset attributes seen in telemetry; skips the write when nothing changed. */
  rememberAssets(assets: readonly AssetInfo[]): Promise<void>;
  /** Which of these assets have actions in flight. */
  assetsInFlight(assetIds: readonly string[]): Promise<string[]>;
  allAssetsInFlight(): Promise<string[]>;
  /** Tracked actions, each with its recovery check moved to when its executor finished, if it reported. */
  tracked(assetIds: readonly string[]): Promise<TrackedAction[]>;
  /**
   * Records when executors finished actions. Kept beside the tracked action, not inside it, so a
   * sample batch writing back its copy of the action at the same moment cannot undo it.
   */
  markExecuted(entries: readonly { assetId: string; dedupeKey: string; finishedAtMs: number }[]): Promise<void>;
  /** Applies a batch's changes: start, update or finish tracking, and append history, in one round trip. */
  apply(changes: { track?: TrackedAction[]; untrack?: HealingAction[]; history?: { assetId: string; entry: Intervention }[] }): Promise<void>;
}

export function createHealerStore(redis: Redis, keys: Keyspace): HealerStore {
  const assetKey = (id: string) => keys.key('healer', 'asset', id);
  const historyKey = (id: string) => keys.key('healer', 'history', id);
  const inflightKey = (id: string) => keys.key('healer', 'inflight', id);
  const executedKey = (id: string) => keys.key('healer', 'executed', id);
  const inflightAssets = keys.global('healer', 'inflight-assets');
  const lastWritten = new Map<string, string>();

  return {
    async contexts(assetIds) {
      const out = new Map<string, HealingContext>();
      if (assetIds.length === 0) return out;
      const pipeline = redis.pipeline();
      for (const id of assetIds) pipeline.get(assetKey(id)).lrange(historyKey(id), 0, HISTORY_LENGTH - 1);
      const results = (await pipeline.exec()) ?? [];
      assetIds.forEach((id, i) => {
        const info = results[2 * i]?.[1] as string | null;
        const entries = (results[2 * i + 1]?.[1] as string[] | undefined) ?? [];
        // History is append-only (newest first); the latest entry per intervention is its state.
        const byKey = new Map<string, Intervention>();
        for (const raw of entries) {
          const entry = JSON.parse(raw) as Intervention;
          if (!byKey.has(entry.dedupeKey)) byKey.set(entry.dedupeKey, entry);
        }
        const asset: AssetInfo = info ? { assetId: id, ...(JSON.parse(info) as Omit<AssetInfo, 'assetId'>) } : { assetId: id, labels: {} };
        out.set(id, { asset, history: [...byKey.values()] });
      });
      return out;
    },
    async rememberAssets(assets) {
      const pipeline = redis.pipeline();
      let writes = 0;
      for (const a of assets) {
        const text = JSON.stringify({ ...(a.region ? { region: a.region } : {}), ...(a.provider ? { provider: a.provider } : {}), labels: a.labels });
        if (lastWritten.get(a.assetId) === text) continue;
        lastWritten.set(a.assetId, text);
        pipeline.set(assetKey(a.assetId), text);
        writes++;
      }
      if (writes) await pipeline.exec();
    },
    async assetsInFlight(assetIds) {
      if (assetIds.length === 0) return [];
      const flags = await redis.smismember(inflightAssets, ...assetIds);
      return assetIds.filter((_, i) => flags[i] === 1);
    },
    allAssetsInFlight: () => redis.smembers(inflightAssets),
    async tracked(assetIds) {
      if (assetIds.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of assetIds) pipeline.hvals(inflightKey(id)).hgetall(executedKey(id));
      const results = (await pipeline.exec()) ?? [];
      return assetIds.flatMap((_, i) => {
        const executed = (results[2 * i + 1]?.[1] as Record<string, string> | undefined) ?? {};
        return ((results[2 * i]?.[1] as string[] | undefined) ?? []).map((v) => {
          const t = JSON.parse(v) as TrackedAction;
          const at = Number(executed[t.action.dedupeKey] ?? 0);
          return at > t.action.startedAtMs ? { ...t, action: { ...t.action, startedAtMs: at } } : t;
        });
      });
    },
    async markExecuted(entries) {
      if (entries.length === 0) return;
      const pipeline = redis.pipeline();
      for (const e of entries) pipeline.hset(executedKey(e.assetId), e.dedupeKey, String(e.finishedAtMs));
      await pipeline.exec();
    },
    async apply({ track = [], untrack = [], history = [] }) {
      if (track.length + untrack.length + history.length === 0) return;
      const pipeline = redis.pipeline();
      for (const t of track) {
        t.samples = t.samples.slice(-TRACKED_SAMPLES);
        pipeline.hset(inflightKey(t.action.anomaly.assetId), t.action.dedupeKey, JSON.stringify(t)).sadd(inflightAssets, t.action.anomaly.assetId);
      }
      for (const a of untrack) pipeline.hdel(inflightKey(a.anomaly.assetId), a.dedupeKey).hdel(executedKey(a.anomaly.assetId), a.dedupeKey);
      for (const { assetId, entry } of history) {
        pipeline.lpush(historyKey(assetId), JSON.stringify(entry)).ltrim(historyKey(assetId), 0, HISTORY_LENGTH - 1);
      }
      await pipeline.exec();
      // An asset leaves the in-flight set once its hash is empty; checked after the writes above.
      if (untrack.length) {
        const assets = [...new Set(untrack.map((a) => a.anomaly.assetId))];
        const sizes = redis.pipeline();
        for (const id of assets) sizes.hlen(inflightKey(id));
        const results = (await sizes.exec()) ?? [];
        const idle = assets.filter((_, i) => results[i]?.[1] === 0);
        if (idle.length) await redis.srem(inflightAssets, ...idle);
      }
    },
  };
}
