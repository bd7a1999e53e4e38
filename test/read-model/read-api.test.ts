/**
 * The read model end to end: telemetry posted through the gateway with an API token becomes, via
 * ingest, detector, healer, discovery and the projector, an asset, an anomaly and a healing decision
 * readable through the gateway's read API — scoped to the token's tenant, paged, filtered, live over
 * SSE with resume, rebuilt from Kafka when Redis loses it — and POST /v1/jobs answers with the
 * router's decision.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import type { ProjectedEvent } from '@maestro/projector';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { latencySignal, warmUp } from '../support/fleet';
import { spawnService, type SpawnedService } from '../support/services';
import { createTestBus, type TestBus } from '../support/test-bus';
import { openSse } from './sse-client';

const prefix = uniquePrefix('read');
const running = new Map<string, SpawnedService>();
let gateway: SpawnedService;
let redis: Redis;
let bus: TestBus;

function token(tokenId: string, tenant: string): { header: string; entry: { tenant: string; sha256: string; assets: string[] } } {
  const secret = randomBytes(32).toString('base64url');
  return { header: `Bearer ${tokenId}.${secret}`, entry: { tenant, sha256: createHash('sha256').update(secret).digest('hex'), assets: [] } };
}
const acme = token('acme-reader', 'acme');
const globex = token('globex-reader', 'globex');

const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5', HEALER_MODE: 'live',
  DISCOVERY_POLL_INTERVAL_MS: '1000', DISCOVERY_EVALUATE_INTERVAL_MS: '1000',
};

interface Page { items: ProjectedEvent[]; nextCursor: string | null }

async function get<T>(path: string, auth: string | null = acme.header): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway.url}${path}`, { headers: auth ? { authorization: auth } : {} });
  return { status: response.status, body: (await response.json()) as T };
}

async function post(path: string, body: unknown, auth: string): Promise<{ status: number; body: Record<string, unknown>; location: string | null }> {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, location: response.headers.get('location') };
}

async function telemetry(signals: HealthSignal[], auth: string): Promise<void> {
  for (let i = 0; i < signals.length; i += 500) {
    const r = await post('/v1/telemetry', { signals: signals.slice(i, i + 500).map(({ tenant: _t, receivedAtMs: _r, ...s }) => s) }, auth);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
  }
}

async function items(path: string, auth = acme.header): Promise<ProjectedEvent[]> {
  const r = await get<Page>(path, auth);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items;
}

async function spike(assetId: string): Promise<void> {
  await telemetry([latencySignal(assetId, Date.now(), 900)], acme.header);
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-read-'));
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify({ 'acme-reader': acme.entry, 'globex-reader': globex.entry }));
  redis = new Redis(stackEnv.REDIS_URL);
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  const names = ['projector', 'ingest', 'detector', 'healer', 'discovery', 'router'] as const;
  const started = await Promise.all([spawnService('gateway', { ...env, GATEWAY_TELEMETRY_TOKENS: tokensFile }), ...names.map((n) => spawnService(n, env))]);
  for (const s of started) running.set(s.name, s);
  gateway = running.get('gateway')!;
  await telemetry(warmUp(['checkout-1', 'checkout-2', 'checkout-3', 'checkout-4'], 40), acme.header);
  await telemetry(warmUp(['globex-1'], 5), globex.header);
}, 240_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((s) => s.stop('SIGTERM')));
  await bus?.close();
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

describe('the read API over the projector\'s model', () => {
  it('shows the asset, then after a spike the anomaly, the healing decision and its audit, on the asset\'s page', async () => {
    const assets = await eventually(async () => {
      const found = await items('/v1/assets');
      return found.length >= 4 && found;
    }, 60_000, 'the four acme assets');
    expect(assets.map((a) => a.assetId)).toEqual(['checkout-1', 'checkout-2', 'checkout-3', 'checkout-4']);
    expect(assets[0]).toMatchObject({ kind: 'asset', tenant: 'acme', record: { change: 'added', region: 'eu-west-1' } });

    await spike('checkout-1');
    const [anomaly] = await eventually(async () => {
      const found = await items('/v1/anomalies?asset=checkout-1');
      return found.length > 0 && found;
    }, 60_000, 'the anomaly of checkout-1');
    expect(anomaly).toMatchObject({ kind: 'anomaly', tenant: 'acme', assetId: 'checkout-1', record: { kind: 'spike', metric: 'latency_ms', value: 900 } });
    expect(anomaly!.severity).toBeGreaterThan(0.5);

    const [action] = await eventually(async () => {
      const found = await items('/v1/actions?asset=checkout-1&kind=action');
      return found.length > 0 && found;
    }, 60_000, 'the healing action of checkout-1');
    expect(action!.record).toMatchObject({ anomalyId: (anomaly!.record as { anomalyId: string }).anomalyId, dryRun: false, tenant: 'acme' });
    const decisions = await eventually(async () => {
      const found = (await items('/v1/audit?asset=checkout-1')).filter((a) => (a.record as { kind: string }).kind === 'healing.decision');
      return found.length > 0 && found;
    }, 60_000, 'the healing decision audit');
    expect((decisions[0]!.record as { reasons: string[] }).reasons.length).toBeGreaterThan(0);

    const page = await get<{ asset: ProjectedEvent; samples: unknown[]; timeline: Page }>('/v1/assets/checkout-1');
    expect(page.status).toBe(200);
    expect(page.body.asset).toMatchObject({ assetId: 'checkout-1', kind: 'asset' });
    expect(page.body.samples.length).toBeGreaterThan(10);
    const kinds = page.body.timeline.items.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['anomaly', 'action', 'audit', 'asset']));
    // Newest first.
    const times = page.body.timeline.items.map((e) => e.atMs);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('keeps tenants apart: another tenant\'s ids answer 404 and its lists are its own', async () => {
    const other = await get<{ refused: { code: string } }>('/v1/assets/checkout-1', globex.header);
    expect(other.status).toBe(404);
    expect(other.body.refused.code).toBe('unknown_resource');
    const missing = await get<{ refused: { code: string } }>('/v1/assets/no-such-asset');
    expect(missing).toEqual({ status: 404, body: { refused: expect.objectContaining({ code: 'unknown_resource' }) } });
    expect(await items('/v1/anomalies', globex.header)).toEqual([]);
    const globexAssets = await eventually(async () => {
      const found = await items('/v1/assets', globex.header);
      return found.length > 0 && found;
    }, 60_000, 'the globex asset');
    expect(globexAssets.map((a) => a.assetId)).toEqual(['globex-1']);
    expect((await items('/v1/assets')).map((a) => a.assetId)).not.toContain('globex-1');

    expect((await get<{ refused: { code: string } }>('/v1/anomalies', null)).body.refused.code).toBe('missing_credential');
    const forged = await get<{ refused: { code: string } }>('/v1/anomalies', `Bearer acme-reader.${randomBytes(32).toString('base64url')}`);
    expect(forged).toEqual({ status: 401, body: { refused: expect.objectContaining({ code: 'invalid_credential', stage: 'authenticate' }) } });
  });

  it('pages with a cursor through the same events a single page holds, without duplicates, and filters', async () => {
    const all = await items('/v1/audit?limit=500');
    expect(all.length).toBeGreaterThan(3);
    const paged: ProjectedEvent[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: Page } = await get<Page>(`/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    // Audit records keep arriving (recovery checks): compare the ids the single page held.
    const pagedIds = paged.map((e) => e.id);
    expect(new Set(pagedIds).size).toBe(pagedIds.length);
    expect(pagedIds).toEqual(expect.arrayContaining(all.map((e) => e.id)));

    const anomalies = await items('/v1/anomalies');
    const newest = anomalies[0]!;
    expect(await items(`/v1/anomalies?severity=${newest.severity}`)).toContainEqual(expect.objectContaining({ id: newest.id }));
    if (newest.severity! < 1) expect(await items(`/v1/anomalies?severity=${Math.min(1, newest.severity! + 1e-9)}`)).not.toContainEqual(expect.objectContaining({ id: newest.id }));
    expect(await items(`/v1/anomalies?to=${newest.atMs - 1}`)).not.toContainEqual(expect.objectContaining({ id: newest.id }));
    expect(await items(`/v1/anomalies?from=${newest.atMs}`)).toContainEqual(expect.objectContaining({ id: newest.id }));
    expect(await items(`/v1/anomalies?from=${new Date(newest.atMs).toISOString()}`)).toContainEqual(expect.objectContaining({ id: newest.id }));
    expect(await items('/v1/actions?kind=result&asset=checkout-1')).toEqual((await items('/v1/actions?asset=checkout-1')).filter((e) => e.kind === 'result'));

    const bad = await get<{ refused: { code: string; reasons: string[] } }>('/v1/anomalies?limit=0&colour=red&cursor=xyz');
    expect(bad.status).toBe(400);
    expect(bad.body.refused.code).toBe('invalid_query');
    expect(bad.body.refused.reasons).toHaveLength(3);
  });

  it('streams an anomaly live over SSE and resumes after a reconnect with Last-Event-ID, without loss or duplicates', async () => {
    const first = await openSse(`${gateway.url}/v1/events?kind=anomaly`, { authorization: acme.header });
    expect(first.status).toBe(200);
    await spike('checkout-2');
    await first.waitFor((events) => events.some((e) => e.event === 'anomaly' && (JSON.parse(e.data) as ProjectedEvent).assetId === 'checkout-2'), 60_000);
    first.close();
    const seen = first.events.filter((e) => e.event === 'anomaly');
    expect(seen.map((e) => (JSON.parse(e.data) as ProjectedEvent).assetId)).toEqual(['checkout-2']);
    const lastId = seen.at(-1)!.id!;

    // Decided while nobody listens.
    await spike('checkout-3');
    await eventually(async () => (await items('/v1/anomalies?asset=checkout-3')).length > 0, 60_000, 'the anomaly of checkout-3');

    const resumed = await openSse(`${gateway.url}/v1/events?kind=anomaly`, { authorization: acme.header, 'last-event-id': lastId });
    await resumed.waitFor((events) => events.some((e) => e.event === 'anomaly'), 30_000);
    await spike('checkout-4');
    await resumed.waitFor((events) => events.filter((e) => e.event === 'anomaly').length >= 2, 60_000);
    resumed.close();
    const assetsSeen = resumed.events.filter((e) => e.event === 'anomaly').map((e) => (JSON.parse(e.data) as ProjectedEvent).assetId);
    expect(assetsSeen).toEqual(['checkout-3', 'checkout-4']);

    // Another tenant's stream carries none of it.
    const foreign = await openSse(`${gateway.url}/v1/events?lastEventId=0-0`, { authorization: globex.header });
    await foreign.waitFor((events) => events.length > 0, 30_000);
    foreign.close();
    expect(foreign.events.every((e) => (JSON.parse(e.data) as ProjectedEvent).tenant === 'globex')).toBe(true);
  });

  it('shows a dead letter to the tenant that owns its record\'s key, with the reason, and to nobody else', async () => {
    await bus.producer.sendRaw(`${prefix}telemetry.raw`, [{ key: 'checkout-1', value: Buffer.from('not avro at all') }]);
    const [letter] = await eventually(async () => {
      const found = await items('/v1/dead-letters');
      return found.length > 0 && found;
    }, 60_000, 'the dead letter');
    expect(letter).toMatchObject({ kind: 'dead_letter', tenant: 'acme', record: { sourceTopic: `${prefix}telemetry.raw`, key: { base64: Buffer.from('checkout-1').toString('base64') } } });
    expect((letter!.record as { errorCode: string }).errorCode).toMatch(/^[A-Z_]+$/);
    expect(Buffer.from((letter!.record as { value: { base64: string } }).value.base64, 'base64').toString()).toBe('not avro at all');
    expect(await items('/v1/dead-letters', globex.header)).toEqual([]);
  });

  it('submits a job to the router and answers with its decision', async () => {
    const r = await post('/v1/jobs?waitMs=20000', { jobId: `job-${randomBytes(3).toString('hex')}`, jobClass: 'batch', capabilities: ['quantum'] }, acme.header);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'refused', decision: { kind: 'routing', tenant: 'acme', record: { outcome: 'refused' } } });
    expect(r.location).toBe(`/v1/jobs/${String(r.body.jobId)}`);
    const polled = await get<{ decision: ProjectedEvent }>(r.location!);
    expect(polled.body.decision.id).toBe((r.body.decision as ProjectedEvent).id);
    expect((await get(r.location!, globex.header)).status).toBe(404);
    // The submission and the routing are each audited, in the submitter's tenant, under the job's id.
    const audits = await eventually(async () => {
      const found = (await items(`/v1/audit?asset=${String(r.body.jobId)}`)).map((e) => (e.record as { kind: string }).kind);
      return found.length >= 2 && found;
    }, 30_000, 'the job\'s audit records');
    expect(audits.sort()).toEqual(['job.submitted', 'routing.decision']);
    const story = await get<{ events: ProjectedEvent[] }>(r.location!);
    expect(story.body.events.map((e) => e.kind).sort()).toEqual(['audit', 'audit', 'job', 'routing']);

    const invalid = await post('/v1/jobs', { jobClass: 7, colour: 'red' }, acme.header);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ refused: { code: 'schema_violation' } });
  });

  it('rebuilds the same view from Kafka after a restart with its Redis keys deleted', async () => {
    const before = {
      anomalies: (await items('/v1/anomalies?limit=500')).map((e) => e.id),
      assets: (await items('/v1/assets')).map((e) => e.assetId),
      actions: (await items('/v1/actions?limit=500')).map((e) => e.id),
    };
    await running.get('projector')!.stop('SIGTERM');
    const keys = await redis.keys(`${prefix}projector:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    expect(await items('/v1/anomalies')).toEqual([]);

    running.set('projector', await spawnService('projector', env));
    // Each topic's partitions are projected concurrently: the anomalies can be whole before the assets are.
    await eventually(async () => (await items('/v1/anomalies?limit=500')).length >= before.anomalies.length, 90_000, 'the rebuilt anomalies');
    await eventually(async () => (await items('/v1/assets')).length >= before.assets.length, 30_000, 'the rebuilt assets');
    await eventually(async () => {
      const ids = new Set((await items('/v1/actions?limit=500')).map((e) => e.id));
      return before.actions.every((id) => ids.has(id));
    }, 30_000, 'the rebuilt actions');
    expect((await items('/v1/anomalies?limit=500')).map((e) => e.id)).toEqual(before.anomalies);
    expect((await items('/v1/assets')).map((e) => e.assetId)).toEqual(before.assets);
    expect((await items('/v1/actions?limit=500')).map((e) => e.id)).toEqual(expect.arrayContaining(before.actions));
  });

  it('rebuilds while running when Redis loses the model under it (its next batch finds the marker gone)', async () => {
    const before = (await items('/v1/anomalies?limit=500')).map((e) => e.id);
    const keys = await redis.keys(`${prefix}projector:*`);
    await redis.del(...keys);
    expect(await items('/v1/anomalies')).toEqual([]);
    // Any record will do: the batch that carries it finds the marker gone.
    await telemetry(warmUp(['checkout-1'], 3), acme.header);
    await eventually(async () => (await items('/v1/anomalies?limit=500')).length >= before.length, 90_000, 'the anomalies rebuilt in place');
    expect((await items('/v1/anomalies?limit=500')).map((e) => e.id)).toEqual(before);
    expect(running.get('projector')!.output.join('\n')).toContain('rebuilding it from Kafka');
    // The lost projection is a transient failure: the batch waits for the new epoch, nothing is dead-lettered.
    const metrics = await (await fetch(`${running.get('projector')!.url}/metrics`)).text();
    expect(metrics.split('\n').filter((line) => line.startsWith('maestro_records_dead_lettered_total{'))).toEqual([]);
  });
});
