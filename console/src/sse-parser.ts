/**
 * Server-Sent Events framing, pure: text chunks in, events out. The console reads GET /v1/events
 * with fetch rather than EventSource because EventSource cannot send the Authorization header the
 * read API requires; this is the part of EventSource it needs (id, event, data; comments ignored).
 */
export interface SseMessage {
  readonly id: string | null;
  readonly event: string;
  readonly data: string;
}

export interface SseParser {
  /** Feeds a chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  return {
    push(chunk) {
      buffer += chunk.replace(/\r\n?/g, '\n');
      const messages: SseMessage[] = [];
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id: string | null = null;
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') id = value;
          else if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
        }
        if (data.length > 0) messages.push({ id, event, data: data.join('\n') });
        end = buffer.indexOf('\n\n');
      }
      return messages;
    },
  };
}
