/** The console's SSE framing: what GET /v1/events writes comes out as the events it meant, however the bytes are cut. */
import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../console/src/sse-parser';

const stream = 'retry: 2000\n: connected\n\nid: 1-0\nevent: anomaly\ndata: {"a":1}\n\n: heartbeat 5\n\nid: 2-0\nevent: gap\ndata: {"b":\ndata: 2}\n\n';

describe('the console\'s SSE parser', () => {
  it('yields id, event and data of each message, skips comments and retry-only blocks, joins data lines', () => {
    expect(createSseParser().push(stream)).toEqual([
      { id: '1-0', event: 'anomaly', data: '{"a":1}' },
      { id: '2-0', event: 'gap', data: '{"b":\n2}' },
    ]);
  });

  it('gives the same messages when the stream arrives one character at a time, or with CRLF line ends', () => {
    const parser = createSseParser();
    const bytewise = [...stream].flatMap((c) => parser.push(c));
    expect(bytewise).toEqual(createSseParser().push(stream));
    expect(createSseParser().push(stream.replace(/\n/g, '\r\n'))).toEqual(createSseParser().push(stream));
  });

  it('holds an unfinished message until its blank line comes, and defaults the event name to message', () => {
    const parser = createSseParser();
    expect(parser.push('data: x')).toEqual([]);
    expect(parser.push('\n\n')).toEqual([{ id: null, event: 'message', data: 'x' }]);
  });
});
