/** A minimal Server-Sent Events reader over fetch, for tests: collects events as they arrive (framed by the console's parser). */
import { createSseParser, type SseMessage } from '../../console/src/sse-parser';

export type SseEvent = SseMessage;

export interface SseConnection {
  readonly status: number;
  readonly events: SseEvent[];
  /** Resolves once `predicate` holds for the events so far, or rejects after `timeoutMs`. */
  waitFor(predicate: (events: readonly SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const parser = createSseParser();
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        events.push(...parser.push(decoder.decode(chunk as Uint8Array, { stream: true })));
        for (const w of waiters) w();
      }
    } catch {
      /* aborted by close() */
    }
    for (const w of waiters) w();
  })();
  return {
    status: response.status,
    events,
    ended,
    close: () => controller.abort(),
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(events)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE: condition not met within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ') || 'no events'}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
