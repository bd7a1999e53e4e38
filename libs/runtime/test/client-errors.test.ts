import { connect } from 'node:net';
import { Registry } from 'prom-client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorAnswer, clientErrorResponse } from '../src/client-errors';
import { createHttpServer, createLifecycle, createReadiness } from '../src';

describe('clientErrorAnswer: a request the HTTP parser gave up on, in the refusal shape', () => {
  it.each([
    { parserCode: 'HPE_HEADER_OVERFLOW', status: 431, code: 'headers_too_large' },
    { parserCode: 'ERR_HTTP_REQUEST_TIMEOUT', status: 408, code: 'request_timeout' },
    { parserCode: 'HPE_INVALID_METHOD', status: 400, code: 'malformed_request' },
    { parserCode: undefined, status: 400, code: 'malformed_request' },
  ])('$parserCode → $status $code', ({ parserCode, status, code }) => {
    expect(clientErrorAnswer(parserCode)).toMatchObject({ status, code });
  });

  it('answers nobody when the peer is gone', () => {
    expect(clientErrorAnswer('ECONNRESET')).toBeNull();
    expect(clientErrorAnswer('EPIPE')).toBeNull();
  });

  it('writes a whole response whose Content-Length counts bytes, with Retry-After only when retrying may work', () => {
    const timeout = clientErrorResponse(clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT')!);
    const [head, body] = timeout.split('\r\n\r\n') as [string, string];
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 408 Request Timeout', 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Retry-After: 1', 'Connection: close',
    ]);
    expect(JSON.parse(body)).toEqual({ refused: { stage: 'parse', code: 'request_timeout', reasons: ['the request did not arrive whole in time'] } });
    const malformed = clientErrorResponse({ status: 400, code: 'malformed_request', reason: 'é' });
    expect(malformed).not.toContain('Retry-After');
    expect(malformed).toContain(`Content-Length: ${Buffer.byteLength(JSON.stringify({ refused: { stage: 'parse', code: 'malformed_request', reasons: ['é'] } }))}\r\n`);
  });
});

describe('a service\'s HTTP server, sent what Node cannot parse', () => {
  const logger = pino({ level: 'silent' });
  const lifecycle = createLifecycle(logger, 1_000);
  const app = createHttpServer({ logger, lifecycle, readiness: createReadiness(), metrics: new Registry() });
  let port = 0;

  beforeAll(async () => {
    app.get('/echo', async () => ({ ok: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    lifecycle.markRunning();
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
  });

  /** Sends raw bytes and reads until the server closes the connection. */
  function exchange(bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
      socket.write(bytes);
    });
  }

  const parse = (response: string) => {
    const [head, body] = response.split('\r\n\r\n') as [string, string];
    return { statusLine: head.split('\r\n')[0], head, body: JSON.parse(body) as unknown };
  };

  // Regression: Fastify's own body ({"error":…,"statusCode":431}) answered these.
  it('refuses a path longer than the 16 KB header limit with 431 headers_too_large and closes', async () => {
    const answer = parse(await exchange(`GET /v1/assets/${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.head).toContain('Connection: close');
    expect(answer.body).toEqual({ refused: { stage: 'parse', code: 'headers_too_large', reasons: [clientErrorAnswer('HPE_HEADER_OVERFLOW')!.reason] } });
  });

  it('refuses bytes that are not HTTP with 400 malformed_request naming the parser\'s complaint', async () => {
    const answer = parse(await exchange('HELLO\r\n\r\n'));
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.body).toMatchObject({ refused: { stage: 'parse', code: 'malformed_request' } });
    expect((answer.body as { refused: { reasons: string[] } }).refused.reasons[0]).toMatch(/^the request cannot be read as HTTP\/1\.1 \(HPE_[A-Z_]+\)$/);
  });

  it('still answers well-formed requests on new connections afterwards', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/echo`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
