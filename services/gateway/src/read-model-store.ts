/**
 * Reads of the projector's read model (services/projector/src/read-model-keys.ts describes the keys),
 * shared by every gateway replica. Pages walk one sorted set newest first, fetch the events' bodies
 * in the same pipeline, and keep those the query matches; a page examines at most SCAN_BUDGET
 * entries, so a rare filter over a large index returns a short page with a cursor rather than
 * scanning the whole tenant in one request.
 */
import type { Keyspace, Redis } from '@maestro/state';
import { tenantKeys, type ProjectedEvent } from '@maestro/projector';
import { matchesQuery, type Cursor, type ReadQuery } from './read-query';

/** Most index entries one page examines. */
export const SCAN_BUDGET = 5_000;

/** One page of events, newest first; `next` is null at the end. */
export interface EventPage {
  readonly items: readonly ProjectedEvent[];
  readonly next: Cursor | null;
}

/** One page of assets in id order. */
export interface AssetPage {
  readonly items: readonly ProjectedEvent[];
  readonly next: string | null;
}

/** Which index a page walks. */
export type IndexScope = { readonly all: true } | { readonly kind: string } | { readonly auditBy: string } | { readonly asset: string } | { readonly job: string };

/** An entry of a tenant's live stream. */
export interface StreamEntry {
  readonly streamId: string;
  readonly event: ProjectedEvent;
}

export interface AssetFilter {
  readonly region: string | null;
  readonly provider: string | null;
  readonly change: string | null;
}

export interface ReadModelStore {
  page(tenant: string, scope: IndexScope, query: ReadQuery): Promise<EventPage>;
  assets(tenant: string, after: string | null, limit: number, filter: AssetFilter): Promise<AssetPage>;
  /** The asset's latest asset event, or null when discovery never published it. */
  asset(tenant: string, assetId: string): Promise<ProjectedEvent | null>;
  /** The asset's most recent metric values, newest first. */
  samples(tenant: string, assetId: string, limit: number): Promise<{ timestampMs: number; metrics: Record<string, number> }[]>;
  /** Every event kept about a job, oldest first. */
  job(tenant: string, jobId: string): Promise<ProjectedEvent[]>;
  /** Stream entries after `afterId` (exclusive), oldest first. */
  streamAfter(tenant: string, afterId: string, count: number): Promise<StreamEntry[]>;
  /** The newest stream id, and the newest id trimmed away ('0-0' when none was), or null for a stream never written. */
  streamBounds(tenant: string): Promise<{ last: string; trimmedUpTo: string } | null>;
}

const parseEvent = (text: string | null | undefined): ProjectedEvent | null => (text ? (JSON.parse(text) as ProjectedEvent) : null);

export function createReadModelStore(redis: Redis, keys: Keyspace): ReadModelStore {
  const indexKey = (tenant: string, scope: IndexScope): string => {
    const k = tenantKeys(keys, tenant);
    if ('kind' in scope) return k.kind(scope.kind);
    if ('auditBy' in scope) return k.auditBy(scope.auditBy);
    if ('asset' in scope) return k.asset(scope.asset);
    if ('job' in scope) return k.job(scope.job);
    return k.all;
  };

  return {
    async page(tenant, scope, query) {
      const k = tenantKeys(keys, tenant);
      const key = indexKey(tenant, scope);
      const max = query.cursor ? String(query.cursor.score) : query.toMs !== null ? String(query.toMs) : '+inf';
      const min = query.fromMs !== null ? String(query.fromMs) : '-inf';
      const chunk = Math.min(SCAN_BUDGET, Math.max(100, query.limit * 2));
      const items: ProjectedEvent[] = [];
      let offset = 0;
      let examined = 0;
      let last: Cursor | null = null;
      for (;;) {
        const flat = await redis.zrevrangebyscore(key, max, min, 'WITHSCORES', 'LIMIT', offset, chunk);
        const entries: Cursor[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ member: flat[i]!, score: Number(flat[i + 1]) });
        offset += entries.length;
        // Ties come in reverse member order: those at the cursor's score down to its member were served.
        const fresh = query.cursor ? entries.filter((e) => e.score !== query.cursor!.score || e.member < query.cursor!.member) : entries;
        const bodies = fresh.length > 0 ? await redis.hmget(k.events, ...fresh.map((e) => e.member)) : [];
        for (let i = 0; i < fresh.length; i++) {
          examined++;
          last = fresh[i]!;
          const event = parseEvent(bodies[i]);
          if (event && matchesQuery(event, query)) items.push(event);
          if (items.length === query.limit) return { items, next: last };
        }
        if (entries.length < chunk) return { items, next: null };
        if (examined >= SCAN_BUDGET) return { items, next: last };
      }
    },
    async assets(tenant, after, limit, filter) {
      const k = tenantKeys(keys, tenant);
      const items: ProjectedEvent[] = [];
      let start = after === null ? '-' : `(${after}`;
      let examined = 0;
      for (;;) {
        const ids = await redis.zrangebylex(k.assetIds, start, '+', 'LIMIT', 0, Math.max(100, limit * 2));
        const bodies = ids.length > 0 ? await redis.hmget(k.assets, ...ids) : [];
        for (let i = 0; i < ids.length; i++) {
          examined++;
          const event = parseEvent(bodies[i]);
          const r = (event?.record ?? {}) as { region?: string | null; provider?: string | null; change?: string };
          if (event && (filter.region === null || r.region === filter.region) && (filter.provider === null || r.provider === filter.provider) && (filter.change === null || r.change === filter.change)) items.push(event);
          if (items.length === limit || examined >= SCAN_BUDGET) return { items, next: ids[i]! };
        }
        if (ids.length < Math.max(100, limit * 2)) return { items, next: null };
        start = `(${ids[ids.length - 1]!}`;
      }
    },
    async asset(tenant, assetId) {
      return parseEvent(await redis.hget(tenantKeys(keys, tenant).assets, assetId));
    },
    async samples(tenant, assetId, limit) {
      const raw = await redis.zrevrange(tenantKeys(keys, tenant).samples(assetId), 0, limit - 1);
      return raw.map((text) => JSON.parse(text) as { timestampMs: number; metrics: Record<string, number> });
    },
    async job(tenant, jobId) {
      const k = tenantKeys(keys, tenant);
      const ids = await redis.zrange(k.job(jobId), 0, -1);
      if (ids.length === 0) return [];
      const bodies = await redis.hmget(k.events, ...ids);
      return bodies.map(parseEvent).filter((e): e is ProjectedEvent => e !== null);
    },
    async streamAfter(tenant, afterId, count) {
      const entries = await redis.xrange(tenantKeys(keys, tenant).stream, `(${afterId}`, '+', 'COUNT', count);
      return entries.flatMap(([streamId, fields]) => {
        const at = fields.indexOf('event');
        const event = at >= 0 ? parseEvent(fields[at + 1]) : null;
        return event ? [{ streamId, event }] : [];
      });
    },
    async streamBounds(tenant) {
      const k = tenantKeys(keys, tenant);
      const [last, trimmed] = await Promise.all([redis.xrevrange(k.stream, '+', '-', 'COUNT', 1), redis.get(k.streamTrimmed)]);
      return last[0] ? { last: last[0][0], trimmedUpTo: trimmed ?? '0-0' } : null;
    },
  };
}
