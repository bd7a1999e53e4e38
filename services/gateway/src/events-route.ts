/**
 * GET /v1/events: the tenant's decisions live, as Server-Sent Events. Each event's SSE id is its
 * entry in the tenant's Redis stream (the projector appends every event there), so a client that
 * reconnects with `Last-Event-ID` (or `?lastEventId=` where it cannot set headers) resumes exactly
 * after the last event it got: nothing lost, nothing twice, on any gateway replica. Without one,
 * the stream starts at the newest event. Filters are those of the lists, applied with the same
 * function. When events after the client's id were trimmed, a `gap` event says so first.
 *
 * Each connection polls its tenant's stream (XRANGE after its last id) every `pollIntervalMs`, on
 * the gateway's shared Redis connection: no blocking command, so connections cost no Redis client
 * each. Comments keep proxies from closing an idle stream; on shutdown every stream gets a
 * `shutdown` event and is ended, so the HTTP server can close.
 *
 * The token is checked again on the open stream at least every `recheckMs` (the tokens file is
 * followed, ./telemetry-tokens-config.ts): a token revoked, rotated or moved to another tenant
 * while its stream is open gets an `unauthorized` event with the refusal and the stream ends; a
 * reconnection is then refused 401. Without this a revoked token kept reading its tenant's events
 * for as long as its connection lasted.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { readerOf } from './read-routes';
import { refuse } from './domain';
import { sendRefusal } from './http-refusals';
import { authenticateReader, isRefusal, type TokenVerifier } from './read-auth';
import type { ReadModelStore } from './read-model-store';
import { matchesQuery, parseReadQuery } from './read-query';
import { compareStreamIds, isStreamId } from './stream-id';

export interface EventsRouteDeps {
  readonly store: ReadModelStore;
  readonly tokens: TokenVerifier;
  /** How often a connection looks for new events. @default 250 */
  readonly pollIntervalMs?: number;
  /** Longest silence before a heartbeat comment. @default 15000 */
  readonly heartbeatMs?: number;
  /** Longest time an open stream goes without its token being checked again. @default 1000 */
  readonly recheckMs?: number;
  logError(fields: Record<string, unknown>, message: string): void;
}

/** The open streams, to end them on shutdown. */
export interface LiveStreams {
  readonly open: number;
  /** Sends `shutdown` to every stream and ends it. Safe to call twice. */
  closeAll(): void;
}

const BATCH = 500;

export function registerEventsRoute(app: FastifyInstance, deps: EventsRouteDeps): LiveStreams {
  const pollIntervalMs = deps.pollIntervalMs ?? 250;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const recheckMs = deps.recheckMs ?? 1_000;
  const open = new Set<() => void>();
  let closing = false;

  app.get('/v1/events', async (request, reply) => {
    const reader = await readerOf(request, reply, deps.tokens);
    if (!reader) return reply;
    const params = request.query as Record<string, unknown>;
    const query = parseReadQuery(params, undefined, ['lastEventId']);
    if (!query.ok) return sendRefusal(reply, refuse('invalid_query', query.reasons));
    const header = request.headers['last-event-id'];
    const resumeFrom = (Array.isArray(header) ? header[0] : header) ?? (typeof params.lastEventId === 'string' ? params.lastEventId : undefined);
    if (resumeFrom !== undefined && resumeFrom !== '' && !isStreamId(resumeFrom)) {
      return sendRefusal(reply, refuse('invalid_query', [`Last-Event-ID '${resumeFrom}' is not an id this stream sent`]));
    }
    if (closing) return sendRefusal(reply.header('retry-after', '1'), refuse('unavailable', ['the gateway is shutting down'], { stage: 'dispatch' }));

    const bounds = await deps.store.streamBounds(reader.tenant);
    let lastId = resumeFrom || bounds?.last || '0-0';
    const raw: ServerResponse = reply.raw;
    reply.hijack();
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 2000\n: connected\n\n');
    if (resumeFrom && bounds && compareStreamIds(resumeFrom, bounds.trimmedUpTo) < 0) {
      raw.write(`event: gap\ndata: ${JSON.stringify({ lastEventId: resumeFrom, trimmedUpTo: bounds.trimmedUpTo, reason: 'events after your last id were trimmed (PROJECTOR_MAX_EVENTS) before you reconnected' })}\n\n`);
    }

    let lastWriteMs = Date.now();
    let lastCheckMs = Date.now();
    let busy = false;
    let ended = false;
    /** False (and the stream ended) once the token no longer reads this tenant. */
    const stillAuthorised = (): boolean => {
      if (Date.now() - lastCheckMs < recheckMs) return true;
      lastCheckMs = Date.now();
      const now = authenticateReader(request.headers.authorization, deps.tokens);
      const refusal = isRefusal(now) ? now
        : now.tenant === reader.tenant ? null
          : refuse('invalid_credential', [`the token now reads tenant '${now.tenant}'; this stream was for '${reader.tenant}'`]);
      if (refusal === null) return true;
      raw.write(`event: unauthorized\ndata: ${JSON.stringify(refusal)}\n\n`);
      end();
      return false;
    };
    const poll = async () => {
      if (busy || ended || !stillAuthorised()) return;
      busy = true;
      try {
        for (;;) {
          const entries = await deps.store.streamAfter(reader.tenant, lastId, BATCH);
          for (const { streamId, event } of entries) {
            if (ended) return;
            lastId = streamId;
            if (!matchesQuery(event, query.value)) continue;
            raw.write(`id: ${streamId}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
            lastWriteMs = Date.now();
          }
          if (entries.length < BATCH) break;
        }
        if (Date.now() - lastWriteMs >= heartbeatMs) {
          raw.write(`: heartbeat ${Date.now()}\n\n`);
          lastWriteMs = Date.now();
        }
      } catch (error) {
        // Redis away for a moment: the next tick tries again from the same id.
        deps.logError({ err: error, tenant: reader.tenant }, 'live stream poll failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void poll(), pollIntervalMs);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      open.delete(shutdown);
      raw.end();
    };
    const shutdown = () => {
      if (!ended) raw.write('event: shutdown\ndata: {"reason":"the gateway is stopping; reconnect with Last-Event-ID"}\n\n');
      end();
    };
    open.add(shutdown);
    raw.on('close', end);
    void poll();
    return reply;
  });

  return {
    get open() {
      return open.size;
    },
    closeAll() {
      closing = true;
      for (const shutdown of [...open]) shutdown();
    },
  };
}
