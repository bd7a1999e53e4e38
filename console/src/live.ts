/**
 * The live stream: GET /v1/events read with fetch (the Authorization header EventSource cannot
 * send), resumed after a drop with Last-Event-ID so nothing is lost or repeated. A token the gateway
 * stops accepting ends it for good: refused 401 on connecting, or an `unauthorized` event on an open
 * stream (the gateway checks the token again every second); retrying cannot help, so it does not.
 * Events trimmed before a reconnection could resume are skipped by the gateway with a `gap` event,
 * passed on so that the operator is told (./stream-gap.ts).
 */
import { authHeader } from './api';
import { refusalOf, unreachable, type ApiError } from './api-error';
import type { ProjectedEvent } from './event';
import { createSseParser } from './sse-parser';
import { gapOf, type StreamGap } from './stream-gap';

export type LiveState = 'connecting' | 'live' | 'down';

export interface LiveHandlers {
  onEvent(event: ProjectedEvent): void;
  /** `failure` is why the stream is down: an ApiError (unreachable, a refusal) or an Error. */
  onState(state: LiveState, failure?: unknown): void;
  /** The gateway refused the token (401, or an `unauthorized` event): the stream stops, retrying cannot help. */
  onUnauthorized(error: ApiError): void;
  /** The gateway skipped events trimmed while the stream was away (a `gap` event); the stream goes on after them. */
  onGap(gap: StreamGap): void;
}

/** Connects and keeps reconnecting until the returned function is called. */
export function connectLive(handlers: LiveHandlers): () => void {
  const abort = new AbortController();
  let lastId: string | null = null;
  let delayMs = 500;

  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      handlers.onState('connecting');
      try {
        const headers: Record<string, string> = { ...authHeader(), accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const response = await fetch('/v1/events', { headers, signal: abort.signal }).catch((error: unknown) => {
          throw abort.signal.aborted ? error : unreachable(location.origin, error);
        });
        if (!response.ok || !response.body) {
          const refusal = refusalOf(response.status, response.statusText, await response.json().catch(() => null));
          if (response.status === 401) {
            handlers.onUnauthorized(refusal);
            return;
          }
          throw refusal;
        }
        handlers.onState('live');
        delayMs = 500;
        const parser = createSseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          // A gateway that goes away mid-stream breaks the read: that is the same "unreachable".
          const { value, done } = await reader.read().catch((error: unknown) => {
            throw abort.signal.aborted ? error : unreachable(location.origin, error);
          });
          if (done) break;
          for (const message of parser.push(value)) {
            if (message.event === 'unauthorized') {
              await reader.cancel().catch(() => undefined);
              handlers.onUnauthorized(refusalOf(401, 'Unauthorized', JSON.parse(message.data)));
              return;
            }
            if (message.id) lastId = message.id;
            if (message.event === 'gap') {
              handlers.onGap(gapOf(message.data));
              continue;
            }
            if (message.event === 'shutdown') continue;
            handlers.onEvent(JSON.parse(message.data) as ProjectedEvent);
          }
        }
        handlers.onState('down', new Error('the stream ended'));
      } catch (error) {
        if (abort.signal.aborted) return;
        handlers.onState('down', error);
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
  };
  void run();
  return () => abort.abort();
}
