/**
 * The projection script against the real Redis: one call per batch, idempotent by offset, bounded
 * per asset and per tenant with trimmed events unlinked from every index, tenants apart, and a lost
 * marker refused rather than written over. Reads go through the gateway's store, as the API's do.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly, AuditRecord } from '@maestro/contracts';
import { projectRecord } from '../src/domain';
import { createProjectionStore, ProjectionLostError, type Projection, type ProjectionStore } from '../src/projection-store';
import { markerKey, tenantKeys } from '../src/read-model-keys';
import { createReadModelStore, type ReadModelStore } from '../../gateway/src/read-model-store';
import { encodeCursor, parseReadQuery } from '../../gateway/src/read-query';
import { useRedis } from '../../../test/support/redis-keys';

const db = useRedis('projection');
const { keys } = db;
let store: ProjectionStore;
let reads: ReadModelStore;
let epoch: string;

const MAX_EVENTS = 8;
const MAX_PER_ASSET = 3;

function anomaly(offset: number, assetId: string, tenant: string | null = 'acme', detectedAtMs = 1_000 + offset): Projection & { event: { id: string } } {
  const value = {
    anomalyId: `${assetId}:${offset}`, assetId, metric: 'latency_ms', kind: 'spike', severity: 0.5, score: 0.9, value: 1,
    sampleTimestampMs: offset, detectedAtMs, evidence: {}, tenant,
  } as Partial<Anomaly> as Anomaly; // the fields the read model reads; fields added later do not matter here
  return { offset: String(offset), event: projectRecord({ kind: 'anomaly', value }, { topic: 'anomalies', partition: 0, offset: String(offset) }) };
}

const query = (params: Record<string, string> = {}) => {
  const parsed = parseReadQuery({ limit: '100', ...params });
  if (!parsed.ok) throw new Error(parsed.reasons.join('; '));
  return parsed.value;
};

beforeAll(async () => {
  store = createProjectionStore(db.redis, keys, { maxEvents: MAX_EVENTS, maxEventsPerAsset: MAX_PER_ASSET, maxSamplesPerAsset: 2 });
  reads = createReadModelStore(db.redis, keys);
  epoch = (await store.claimEpoch('e1')).epoch;
});

describe('the projection script', () => {
  it('starts one epoch: a second claim joins it', async () => {
    expect(epoch).toBe('e1');
    expect(await store.claimEpoch('e2')).toEqual({ epoch: 'e1', isNew: false });
  });

  it('projects a batch once: a redelivery adds nothing to the indexes or the stream', async () => {
    const batch = [anomaly(1, 'a1'), anomaly(2, 'a2')];
    expect(await store.apply(epoch, { topic: 'anomalies', partition: 0 }, batch)).toEqual({ added: 2, skipped: 0 });
    expect(await store.apply(epoch, { topic: 'anomalies', partition: 0 }, batch)).toEqual({ added: 0, skipped: 2 });
    expect((await reads.page('acme', { all: true }, query())).items.map((e) => e.id)).toEqual(['anomalies:0:2', 'anomalies:0:1']);
    expect(await db.redis.xlen(tenantKeys(keys, 'acme').stream)).toBe(2);
  });

  it('keeps tenants apart, records without one in the default tenant', async () => {
    await store.apply(epoch, { topic: 'anomalies', partition: 1 }, [anomaly(1, 'b1', 'globex'), anomaly(2, 'c1', null)]);
    expect((await reads.page('globex', { all: true }, query())).items.map((e) => e.assetId)).toEqual(['b1']);
    expect((await reads.page('default', { all: true }, query())).items.map((e) => e.assetId)).toEqual(['c1']);
    expect((await reads.page('acme', { all: true }, query())).items.map((e) => e.assetId)).not.toContain('b1');
  });

  it('bounds an asset\'s timeline and a tenant\'s history in the same call, unlinking trimmed events everywhere', async () => {
    await store.apply(epoch, { topic: 'anomalies', partition: 0 }, Array.from({ length: 10 }, (_, i) => anomaly(10 + i, 'busy')));
    expect((await reads.page('acme', { asset: 'busy' }, query())).items.map((e) => e.id)).toEqual(['anomalies:0:19', 'anomalies:0:18', 'anomalies:0:17']);
    const all = (await reads.page('acme', { all: true }, query())).items;
    expect(all).toHaveLength(MAX_EVENTS);
    expect(all.at(-1)!.id).toBe('anomalies:0:12');
    const k = tenantKeys(keys, 'acme');
    expect(await db.redis.hlen(k.events)).toBe(MAX_EVENTS);
    expect(await db.redis.zcard(k.kind('anomaly'))).toBe(MAX_EVENTS);
    // a1 and a2 were the oldest: gone from their asset's index too, not left dangling.
    expect(await db.redis.zcard(k.asset('a1'))).toBe(0);
  });

  it('pages newest first through ties with a cursor, each event once', async () => {
    const ties = Array.from({ length: 5 }, (_, i) => anomaly(100 + i, 'tied', 'ties', 5_000));
    await store.apply(epoch, { topic: 'anomalies', partition: 2 }, ties);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await reads.page('ties', { all: true }, query({ limit: '2', ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((e) => e.id));
      if (!page.next) break;
      cursor = encodeCursor(page.next);
    }
    expect(seen).toHaveLength(ties.length);
    expect([...seen].sort()).toEqual(ties.map((p) => p.event.id).sort());
  });

  it('puts an event kept from before a layout change in the indexes it lacks when the rebuild meets it, and streams it once', async () => {
    const value: AuditRecord = { auditId: 'au-1', service: 'healer', kind: 'healing.decision', outcome: 'suppressed_cooldown', subjectId: 'x1', reasons: [], detailsJson: JSON.stringify({ tenant: 'layout' }), traceparent: null, atMs: 7_000 };
    const decision = { offset: '1', event: projectRecord({ kind: 'audit', value }, { topic: 'audit', partition: 0, offset: '1' }) };
    await store.apply(epoch, { topic: 'audit', partition: 0 }, [decision]);
    const k = tenantKeys(keys, 'layout');
    // As a projector of the previous layout left it: no service index.
    await db.redis.zrem(k.auditBy('healer'), decision.event.id);
    await db.redis.hset(k.eventIndex, decision.event.id, JSON.stringify([k.all, k.kind('audit')]));
    expect(await db.redis.zcard(k.auditBy('healer'))).toBe(0);

    await db.redis.del(markerKey(keys));
    const rebuilt = (await store.claimEpoch('layout-rebuild')).epoch;
    expect(await store.apply(rebuilt, { topic: 'audit', partition: 0 }, [decision])).toEqual({ added: 0, skipped: 0 });
    expect((await reads.page('layout', { auditBy: 'healer' }, query())).items.map((e) => e.id)).toEqual([decision.event.id]);
    expect(JSON.parse((await db.redis.hget(k.eventIndex, decision.event.id))!)).toContain(k.auditBy('healer'));
    expect(await db.redis.xlen(k.stream)).toBe(1);
    epoch = rebuilt;
  });

  it('keeps its applied offsets apart from a projector of the previous layout still running beside it', async () => {
    // The previous layout's replica, not yet stopped in a rolling upgrade, goes on applying offsets under its own names.
    await db.redis.hset(keys.global('projector', 'applied'), 'anomalies:3', '1000');
    expect(await store.apply(epoch, { topic: 'anomalies', partition: 3 }, [anomaly(77, 'upgrade')])).toEqual({ added: 1, skipped: 0 });
    expect((await reads.page('acme', { asset: 'upgrade' }, query())).items.map((e) => e.id)).toEqual(['anomalies:0:77']);
  });

  it('refuses to write once the marker is gone, so a lost projection is rebuilt rather than patched', async () => {
    await db.redis.del(markerKey(keys));
    await expect(store.apply(epoch, { topic: 'anomalies', partition: 0 }, [anomaly(50, 'late')])).rejects.toBeInstanceOf(ProjectionLostError);
    expect((await reads.page('acme', { asset: 'late' }, query())).items).toEqual([]);
    expect(await store.claimEpoch('e2')).toEqual({ epoch: 'e2', isNew: true });
    // The applied offsets went with the old epoch: the rebuild projects partition 0 from the start.
    expect(await store.apply('e2', { topic: 'anomalies', partition: 0 }, [anomaly(1, 'a1')])).toMatchObject({ skipped: 0 });
  });
});
