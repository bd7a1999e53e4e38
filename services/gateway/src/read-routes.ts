/**
 * The read API over the projector's model (docs/read-api.md): lists of events per kind with
 * filters and cursors, an asset's page, a job's story. Every answer is scoped to the caller's
 * tenant; every refusal has the one shape (./http-refusals.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventKind, ProjectedEvent } from '@maestro/projector';
import { refuse } from './domain';
import { sendRefusal } from './http-refusals';
import { authenticateReader, isRefusal, type Reader, type TokenVerifier } from './read-auth';
import type { ReadModelStore } from './read-model-store';
import { encodeCursor, parsePaging, parseReadQuery } from './read-query';

export interface ReadRoutesDeps {
  readonly store: ReadModelStore;
  readonly tokens: TokenVerifier;
}

/** The list routes: path → the kinds it serves. */
export const LIST_ROUTES = {
  '/v1/anomalies': ['anomaly'],
  '/v1/actions': ['action', 'result'],
  '/v1/recommendations': ['recommendation'],
  '/v1/routing-decisions': ['routing'],
  '/v1/plans': ['plan', 'execution'],
  '/v1/audit': ['audit'],
  '/v1/dead-letters': ['dead_letter'],
} as const satisfies Record<string, readonly EventKind[]>;

/** The parameters of GET /v1/assets. */
const ASSET_PARAMETERS = ['limit', 'cursor', 'region', 'provider', 'change'];

/** The filters an asset page's own lookups (its latest recommendation, whether it is known at all) leave out, whatever the caller asked. */
const UNFILTERED = { cursor: null, fromMs: null, toMs: null, minSeverity: null, service: null } as const;

/** Samples shown on an asset's page. */
export const ASSET_SAMPLES = 60;

/** The caller's tenant, or the refusal already sent. */
export async function readerOf(request: FastifyRequest, reply: FastifyReply, tokens: TokenVerifier): Promise<Reader | null> {
  const reader = authenticateReader(request.headers.authorization, tokens);
  if (!isRefusal(reader)) return reader;
  await sendRefusal(reply.header('www-authenticate', 'Bearer'), reader);
  return null;
}

const invalid = (reply: FastifyReply, reasons: readonly string[]) => sendRefusal(reply, refuse('invalid_query', reasons));

export function registerReadRoutes(app: FastifyInstance, deps: ReadRoutesDeps): void {
  for (const [path, kinds] of Object.entries(LIST_ROUTES) as [string, readonly EventKind[]][]) {
    app.get(path, async (request, reply) => {
      const reader = await readerOf(request, reply, deps.tokens);
      if (!reader) return reply;
      const query = parseReadQuery(request.query as Record<string, unknown>, kinds);
      if (!query.ok) return invalid(reply, query.reasons);
      const q = query.value;
      // The narrowest index that holds every match: the asset's, else the service's audit, else the kind's, else all of the tenant's.
      const scope = q.assetId !== null ? { asset: q.assetId } : q.service !== null ? { auditBy: q.service } : q.kinds.length === 1 ? { kind: q.kinds[0]! } : { all: true as const };
      const page = await deps.store.page(reader.tenant, scope, q);
      return reply.send({ items: page.items, nextCursor: page.next && encodeCursor(page.next) });
    });
  }

  app.get('/v1/assets', async (request, reply) => {
    const reader = await readerOf(request, reply, deps.tokens);
    if (!reader) return reply;
    const params = request.query as Record<string, string | undefined>;
    const reasons: string[] = [];
    for (const name of Object.keys(params)) if (!ASSET_PARAMETERS.includes(name)) reasons.push(`unknown parameter '${name}'; known: ${ASSET_PARAMETERS.join(', ')}`);
    const { limit, cursor } = parsePaging(params.limit, params.cursor, reasons);
    if (reasons.length > 0) return invalid(reply, reasons);
    const page = await deps.store.assets(reader.tenant, cursor?.member ?? null, limit, { region: params.region || null, provider: params.provider || null, change: params.change || null });
    return reply.send({ items: page.items, nextCursor: page.next && encodeCursor({ score: 0, member: page.next }) });
  });

  const assetPage = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const reader = await readerOf(request, reply, deps.tokens);
    if (!reader) return reply;
    const query = parseReadQuery(request.query as Record<string, unknown>);
    if (!query.ok) return invalid(reply, query.reasons);
    const q = { ...query.value, assetId: id };
    const [asset, timeline, samples, recommendation] = await Promise.all([
      deps.store.asset(reader.tenant, id),
      deps.store.page(reader.tenant, { asset: id }, q),
      deps.store.samples(reader.tenant, id, ASSET_SAMPLES),
      deps.store.page(reader.tenant, { asset: id }, { ...q, ...UNFILTERED, kinds: ['recommendation'], limit: 1 }),
    ]);
    // Unknown only if nothing at all is kept about it: filters that match nothing still show the asset.
    const known = asset !== null || samples.length > 0 || timeline.items.length > 0
      || (await deps.store.page(reader.tenant, { asset: id }, { ...q, ...UNFILTERED, kinds: [], limit: 1 })).items.length > 0;
    if (!known) return sendRefusal(reply, refuse('unknown_resource', [`no asset '${quoted(id)}' in your tenant`]));
    return reply.send({
      assetId: id, asset, recommendation: recommendation.items[0] ?? null, samples,
      timeline: { items: timeline.items, nextCursor: timeline.next && encodeCursor(timeline.next) },
    });
  };

  const jobPage = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const reader = await readerOf(request, reply, deps.tokens);
    if (!reader) return reply;
    const events = await deps.store.job(reader.tenant, id);
    if (events.length === 0) return sendRefusal(reply, refuse('unknown_resource', [`no job '${quoted(id)}' in your tenant`]));
    return reply.send(jobView(id, events));
  };

  for (const [prefix, page] of [['/v1/assets/', assetPage], ['/v1/jobs/', jobPage]] as const) {
    app.get(`${prefix}:id`, (request, reply) => page(request, reply, (request.params as { id: string }).id));
    app.get(`${prefix}*`, { config: { fallbackOf: `${prefix}:id` } satisfies FallbackConfig }, (request, reply) => {
      // More segments than the route has: no such route, as the not-found handler says.
      if ((request.url.split('?')[0] ?? '').slice(prefix.length).includes('/')) return reply.callNotFound();
      return page(request, reply, (request.params as { '*': string })['*']);
    });
  }
}

/**
 * The config of a route that only catches what Fastify's router will not give an `:id` route: a
 * path parameter over its maxParamLength (2,400 characters, libs/runtime/src/http-server.ts), which
 * it would answer 414 in its own shape before any hook runs. The router falls back to a wildcard
 * sibling, which answers the id as the `:id` route would: so every id, whatever its length, gets
 * the same authentication and the same refusal. Not in the OpenAPI document: it is the `:id` route.
 */
export interface FallbackConfig {
  readonly fallbackOf: string;
}

/** An id as a refusal quotes it: whole up to 200 characters (the longest asset id), else its start and its length. */
function quoted(id: string): string {
  return id.length <= 200 ? id : `${id.slice(0, 200)}… (${id.length} characters)`;
}

/** A job's request, its latest routing decision and every event kept about it. */
export function jobView(jobId: string, events: readonly ProjectedEvent[]) {
  const request = events.find((e) => e.kind === 'job') ?? null;
  const decision = [...events].reverse().find((e) => e.kind === 'routing') ?? null;
  return { jobId, status: decision ? (decision.record as { outcome?: string }).outcome ?? 'decided' : 'pending', request, decision, events };
}
