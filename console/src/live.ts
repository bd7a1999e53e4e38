/**
 * The live stream: GET /v1/events read with fetch (the Authorization header EventSource cannot
 * send), resumed after a drop with Last-Event-ID so nothing is lost or repeated.
 */
import { authHeader } from './api';
import type { ProjectedEvent } from './event';
import { createSseParser } from './sse-parser';

export type LiveState = 'connecting' | 'live' | 'down';

export interface LiveHandlers {
  onEvent(event: ProjectedEvent): void;
  onState(state: LiveState, detail?: string): void;
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
        const response = await fetch('/v1/events', { headers, signal: abort.signal });
        if (!response.ok || !response.body) throw new Error(`GET /v1/events answered ${response.status}`);
        handlers.onState('live');
        delayMs = 500;
        const parser = createSseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) {
            if (message.id) lastId = message.id;
            if (message.event === 'shutdown' || message.event === 'gap') continue;
            handlers.onEvent(JSON.parse(message.data) as ProjectedEvent);
          }
        }
        handlers.onState('down', 'the stream ended; reconnecting');
      } catch (error) {
        if (abort.signal.aborted) return;
        handlers.onState('down', error instanceof Error ? error.message : String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
  };
  void run();
  return () => abort.abort();
}
