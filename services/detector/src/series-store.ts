import type { Keyspace, Redis } from '@maestro/state';
import { initialState, restoreState, type DetectorState } from './domain';

/** Identifies one detected series: an asset's metric. */
export function seriesKey(assetId: string, metric: string): string {
  return `${assetId}\u0000${metric}`;
}

/** Detector state per series in Redis: one MGET and one pipelined write per consumed batch. */
export interface SeriesStore {
  load(series: readonly { assetId: string; metric: string }[]): Promise<Map<string, DetectorState>>;
  save(states: ReadonlyMap<string, { assetId: string; metric: string; state: DetectorState }>): Promise<void>;
}

export function createSeriesStore(redis: Redis, keys: Keyspace, ttlMs: number): SeriesStore {
  const keyOf = (assetId: string, metric: string) => keys.key('detector', 'series', assetId, metric);
  return {
    async load(series) {
      const out = new Map<string, DetectorState>();
      if (series.length === 0) return out;
      const raw = await redis.mget(series.map((s) => keyOf(s.assetId, s.metric)));
      series.forEach((s, i) => {
        const text = raw[i];
        out.set(seriesKey(s.assetId, s.metric), text ? restoreState(JSON.parse(text)) : initialState());
      });
      return out;
    },
    async save(states) {
      if (states.size === 0) return;
      const pipeline = redis.pipeline();
      for (const { assetId, metric, state } of states.values()) pipeline.set(keyOf(assetId, metric), JSON.stringify(state), 'PX', ttlMs);
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },
  };
}
