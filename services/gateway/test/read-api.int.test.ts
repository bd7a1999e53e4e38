/**
 * The read routes as the gateway registers them, over the real Redis written by the projector's own
 * script: the OpenAPI document lists every one, the live stream ends cleanly on shutdown and says
 * when events after a client's id were trimmed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyspace, createRedis, type Redis } from '@maestro/state';
import type { Anomaly, AuditRecord } from '@maestro/contracts';
import { projectRecord } from '../../projector/src/domain';
import { createProjectionStore, type ProjectionStore } from '../../projector/src/projection-store';
import { registerRefusalHandlers } from '../src/http-refusals';
import { buildOpenApi } from '../src/openapi';
import { registerReadApi } from '../src/read-api';
import type { FallbackConfig } from '../src/read-routes';
import type { LiveStreams } from '../src/events-route';
import { compileTokenStore } from '../src/telemetry-tokens';
import { openSse } from '../../../test/read-model/sse-client';
import { deletePrefixed } from '../../../test/support/redis-keys';
import { stackEnv, uniquePrefix } from '../../../test/support/environment';

const prefix = uniquePrefix('readapi');
const secret = randomBytes(32).toString('base64url');
const auth = { authorization: `Bearer reader.${secret}` };
const readerOf = (tenant: string) => compileTokenStore({ reader: { tenant, sha256: createHash('sha256').update(secret).digest('hex'), assets: [] } });
/** The token store the routes read: a test replaces it as the gateway's reload of its tokens file does. */
let tokens = readerOf('acme');
let redis: Redis;
let app: FastifyInstance;
let url: string;
let live: LiveStreams;
let projection: ProjectionStore;
let epoch: string;
const routes: { method: string; url: string }[] = [];
let offset = 0;
const MAX_EVENTS = 10;

async function project(count: number): Promise<void> {
  const batch = Array.from({ length: count }, () => {
    offset++;
    const value = { anomalyId: `a:${offset}`, assetId: 'a', metric: 'm', kind: 'spike', severity: 0.9, score: 1, value: 1, sampleTimestampMs: offset, detectedAtMs: offset, evidence: {}, tenant: 'acme' } as Partial<Anomaly> as Anomaly; // the fields the read model reads; fields added later do not matter here
    return { offset: String(offset), event: projectRecord({ kind: 'anomaly', value }, { topic: 'anomalies', partition: 0, offset: String(offset) }) };
  });
  await projection.apply(epoch, { topic: 'anomalies', partition: 0 }, batch);
}

/** Audit records of `service` about asset `b`, in the tenant `ops` (kept apart from acme's small bound). */
async function projectAudit(service: string, count: number): Promise<void> {
  const batch = Array.from({ length: count }, () => {
    offset++;
    const value: AuditRecord = { auditId: `au:${offset}`, service, kind: `${service}.decision`, outcome: 'ok', subjectId: 'b', reasons: [], detailsJson: JSON.stringify({ tenant: 'ops' }), traceparent: null, atMs: offset };
    return { offset: String(offset), event: projectRecord({ kind: 'audit', value }, { topic: 'audit', partition: 0, offset: String(offset) }) };
  });
  await projection.apply(epoch, { topic: 'audit', partition: 0 }, batch);
}

beforeAll(async () => {
  redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'read-api-test' });
  await redis.connect();
  const keys = createKeyspace(prefix);
  projection = createProjectionStore(redis, keys, { maxEvents: MAX_EVENTS, maxEventsPerAsset: 100, maxSamplesPerAsset: 10 });
  epoch = (await projection.claimEpoch('e')).epoch;
  app = Fastify();
  app.addHook('onRoute', (route) => {
    // A fallback is its `:id` route for the router's sake (a parameter over maxParamLength), not a route of its own.
    if ((route.config as Partial<FallbackConfig> | undefined)?.fallbackOf) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method: String(method).toLowerCase(), url: route.url });
  });
  registerRefusalHandlers(app, { maxBodyBytes: 65_536, maxJsonDepth: 64, logError: () => {} });
  live = registerReadApi(app, {
    redis, keys, tokens: { verify: (token) => tokens.verify(token) },
    submitJob: async () => {}, isUnavailable: () => false, retryAfterS: 1, now: Date.now, live: { pollIntervalMs: 20, heartbeatMs: 100, recheckMs: 50 }, logError: () => {},
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await deletePrefixed(redis, prefix);
  await redis.quit();
});

describe('the read API as registered', () => {
  it('is described route by route in the OpenAPI document', () => {
    const paths = buildOpenApi([], { version: 'v1' }).paths as Record<string, Record<string, unknown>>;
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      expect(paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method], `${route.method} ${route.url}`).toBeDefined();
    }
  });

  it('tells a client resuming from a trimmed id that events were lost, then streams what is kept', async () => {
    // The client saw the first event; the stream passed its bound (plus a tenth) before it came back.
    await project(1);
    const firstId = (await redis.xrange(`${prefix}projector:stream:{acme}`, '-', '+'))[0]![0];
    await project(MAX_EVENTS + 1);
    expect(await redis.xlen(`${prefix}projector:stream:{acme}`)).toBe(MAX_EVENTS);
    const stream = await openSse(`${url}/v1/events`, { ...auth, 'last-event-id': firstId });
    await stream.waitFor((events) => events.filter((e) => e.event === 'anomaly').length === MAX_EVENTS);
    stream.close();
    expect(stream.events.map((e) => e.event)).toEqual(['gap', ...Array(MAX_EVENTS).fill('anomaly')]);
    expect(JSON.parse(stream.events[0]!.data)).toMatchObject({ lastEventId: firstId });

    // Resuming from the newest trimmed id itself lost nothing: no gap.
    const trimmedUpTo = (await redis.get(`${prefix}projector:stream-trimmed:{acme}`))!;
    const again = await openSse(`${url}/v1/events`, { ...auth, 'last-event-id': trimmedUpTo });
    await again.waitFor((events) => events.filter((e) => e.event === 'anomaly').length === MAX_EVENTS);
    again.close();
    expect(again.events.map((e) => e.event)).toEqual(Array(MAX_EVENTS).fill('anomaly'));
  });

  it('lists one service\'s audit records under service, however many newer ones the others wrote; trimmed ones leave its index too', async () => {
    tokens = readerOf('ops');
    try {
      await projectAudit('healer', 3);
      await projectAudit('optimizer', MAX_EVENTS - 3);
      const page = async (query: string) => {
        const answer = await fetch(`${url}/v1/audit?${query}`, { headers: auth });
        expect(answer.status).toBe(200);
        return ((await answer.json()) as { items: { record: { service: string } }[] }).items.map((e) => e.record.service);
      };
      // A page of 3 without the filter holds the optimizer's newest alone; with it, the healer's three.
      expect(await page('limit=3')).toEqual(['optimizer', 'optimizer', 'optimizer']);
      expect(await page('limit=3&service=healer')).toEqual(['healer', 'healer', 'healer']);
      expect(await page('service=nobody')).toEqual([]);
      // Past the tenant's bound the oldest events go, from the service's index as from the rest.
      await projectAudit('optimizer', 2);
      expect(await page('service=healer')).toEqual(['healer']);
      expect(await redis.zcard(`${prefix}projector:audit-by:{ops:healer}`)).toBe(1);
      const refused = await fetch(`${url}/v1/anomalies?service=healer`, { headers: auth });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ refused: { code: 'invalid_query', reasons: ['service filters audit records, which are not served here (anomaly)'] } });
    } finally {
      tokens = readerOf('acme');
    }
  });

  it('shows an asset known only by its events even when the filters match none of them; an unknown one is 404', async () => {
    await project(1);
    const filtered = await fetch(`${url}/v1/assets/a?kind=recommendation`, { headers: auth });
    expect(filtered.status).toBe(200);
    expect(await filtered.json()).toMatchObject({ assetId: 'a', asset: null, timeline: { items: [], nextCursor: null } });
    const unknown = await fetch(`${url}/v1/assets/nobody`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ refused: { stage: 'dispatch', code: 'unknown_resource', reasons: ["no asset 'nobody' in your tenant"] } });
  });

  // Regression: an id longer than the router's maxParamLength (here Fastify's default, 100; the
  // gateway's is 2,400) got Fastify's own 414 body instead of the route's answer.
  it.each([
    ['/v1/assets/', 'asset', 101], ['/v1/assets/', 'asset', 5_000], ['/v1/jobs/', 'job', 3_000],
  ])('answers %s of an id of %s… %i characters as the route answers any id it does not hold', async (prefix, what, length) => {
    const id = 'x'.repeat(length);
    const unknown = await fetch(`${url}${prefix}${id}`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ refused: { stage: 'dispatch', code: 'unknown_resource', reasons: [`no ${what} '${length <= 200 ? id : `${id.slice(0, 200)}… (${length} characters)`}' in your tenant`] } });
    const anonymous = await fetch(`${url}${prefix}${id}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ refused: { code: 'missing_credential' } });
    const deeper = await fetch(`${url}${prefix}${id}/more`, { headers: auth });
    expect(deeper.status).toBe(404);
    expect(await deeper.json()).toMatchObject({ refused: { code: 'unknown_route' } });
  });

  it('shows an asset whose id is longer than the router\'s maxParamLength', async () => {
    const id = `long-${'a'.repeat(150)}`;
    // Newer than every event so far: the tenant's stream keeps only the newest MAX_EVENTS.
    await projection.apply(epoch, { topic: 'anomalies', partition: 0 }, [{ offset: String(++offset), event: projectRecord({ kind: 'anomaly', value: { anomalyId: `${id}:1`, assetId: id, metric: 'm', kind: 'spike', severity: 0.9, score: 1, value: 1, sampleTimestampMs: Date.now(), detectedAtMs: Date.now(), evidence: {}, tenant: 'acme' } as Partial<Anomaly> as Anomaly }, { topic: 'anomalies', partition: 0, offset: String(offset) }) }]);
    const page = await fetch(`${url}/v1/assets/${id}`, { headers: auth });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ assetId: id, timeline: { items: [{ assetId: id }] } });
  });

  // Regression: a stream outlived its token; a revoked token kept reading the tenant's events until it disconnected.
  it.each([
    ['revoked', compileTokenStore({}), 'the token is unknown or its secret does not match'],
    ['moved to another tenant', readerOf('globex'), "the token now reads tenant 'globex'; this stream was for 'acme'"],
  ])('ends an open stream whose token is %s with an unauthorized event; connecting again is refused', async (_name, reloaded, reason) => {
    const stream = await openSse(`${url}/v1/events`, auth);
    expect(stream.status).toBe(200);
    const afterRevoke = Date.now();
    tokens = reloaded;
    try {
      await stream.waitFor((events) => events.some((e) => e.event === 'unauthorized'), 5_000);
      await stream.ended;
      expect(Date.now() - afterRevoke).toBeLessThan(2_000);
      expect(stream.events.map((e) => e.event)).toEqual(['unauthorized']);
      expect(JSON.parse(stream.events[0]!.data)).toEqual({ refused: { stage: 'authenticate', code: 'invalid_credential', reasons: [reason] } });
      if (reloaded.size === 0) expect((await fetch(`${url}/v1/events`, { headers: auth })).status).toBe(401);
    } finally {
      tokens = readerOf('acme');
      stream.close();
    }
  });

  it('sends heartbeats while idle, and on shutdown a shutdown event before it ends every stream; new ones get 503', async () => {
    const stream = await openSse(`${url}/v1/events`, auth);
    const raw = await fetch(`${url}/v1/events`, { headers: auth });
    const reader = raw.body!.getReader();
    let text = '';
    while (!text.includes(': heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(live.open).toBeGreaterThanOrEqual(1);
    live.closeAll();
    await stream.ended;
    expect(stream.events.map((e) => e.event)).toEqual(['shutdown']);
    expect(live.open).toBe(0);
    const late = await fetch(`${url}/v1/events`, { headers: auth });
    expect(late.status).toBe(503);
    expect(await late.json()).toMatchObject({ refused: { code: 'unavailable' } });
  });
});
