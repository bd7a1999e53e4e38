import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiscoveryProviderError } from '../../src/domain/index';
import type { ProviderProblemCode } from '../../src/domain/index';
import { createHttpEndpointProvider } from '../../src/providers/index';

// A real HTTP server on a loopback port chosen by the OS; each test sets how it answers.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let url: string;
let lastRequest: IncomingMessage | undefined;

const json = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    lastRequest = req;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/assets`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

beforeEach(() => {
  handler = json(200, []);
  lastRequest = undefined;
});

const GOOD = [{ assetId: 'a', name: 'A', region: 'EU-WEST-1' }, { assetId: 'b' }];
const ids = (assets: readonly { assetId: string }[]) => assets.map((a) => a.assetId);

describe('createHttpEndpointProvider', () => {
  it('has the documented defaults', () => {
    expect(createHttpEndpointProvider({ url })).toMatchObject({ name: 'http', precedence: 200 });
  });

  it('reads a JSON list, sending accept and the configured headers', async () => {
    handler = json(200, GOOD);
    const provider = createHttpEndpointProvider({ url, headers: { authorization: 'Bearer t' } });
    const assets = await provider.poll(5);
    expect(assets).toEqual([
      expect.objectContaining({ assetId: 'a', name: 'A', region: 'eu-west-1', source: 'http', observedAtMs: 5 }),
      expect.objectContaining({ assetId: 'b' }),
    ]);
    expect(lastRequest?.headers).toMatchObject({ accept: 'application/json', authorization: 'Bearer t' });
    expect(provider.lastPoll()).toMatchObject({ outcome: 'fresh', assetCount: 2, problems: [] });
  });

  it.each<[string, () => Handler, ProviderProblemCode, RegExp]>([
    ['a 503', () => json(503, { error: 'down' }), 'http_status', /answered 503/],
    ['a 404', () => json(404, 'nope'), 'http_status', /answered 404/],
    ['malformed JSON', () => json(200, '[{"assetId":'), 'malformed_json', /not valid JSON/],
    ['an object instead of a list', () => json(200, { assets: GOOD }), 'not_a_list', /JSON array/],
    ['no answer within the timeout', () => () => undefined, 'timeout', /within 750 ms/],
    ['headers then a stalled body', () => (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('[{"assetId"'); }, 'timeout', /within 750 ms/],
    ['a reset connection', () => (req) => req.socket.destroy(), 'read_failed', /fetch failed/],
    ['a body over the limit', () => json(200, [...GOOD, ...Array.from({ length: 50 }, (_, i) => ({ assetId: `x${i}` }))]), 'read_failed', /over 512 bytes/],
    ['a chunked body over the limit', () => (_req, res) => { res.writeHead(200); res.write('['); res.write(' '.repeat(600)); res.end(']'); }, 'read_failed', /over 512 bytes/],
  ])('keeps the last good snapshot through %s, reporting why', async (_title, failing, code, reason) => {
    // 750 ms, not less: the first, good poll shares the budget, and two cores run every test file at once.
    const provider = createHttpEndpointProvider({ url, timeoutMs: 750, keepLastGoodMs: 60_000, maxBodyBytes: 512 });
    handler = json(200, GOOD);
    await provider.poll(0);
    handler = failing();
    expect(ids(await provider.poll(1_000))).toEqual(['a', 'b']);
    const report = provider.lastPoll();
    expect(report).toMatchObject({ outcome: 'cached', lastGoodAtMs: 0, assetCount: 2 });
    expect(report?.problems).toHaveLength(1);
    expect(report?.problems[0]?.code).toBe(code);
    expect(report?.problems[0]?.message).toMatch(reason);
  });

  it('serves an empty snapshot once the last good one is older than the keep window', async () => {
    const provider = createHttpEndpointProvider({ url, keepLastGoodMs: 1_000 });
    handler = json(200, GOOD);
    await provider.poll(0);
    handler = json(500, 'x');
    expect(ids(await provider.poll(1_000))).toEqual(['a', 'b']);
    expect(await provider.poll(1_001)).toEqual([]);
    expect(provider.lastPoll()?.outcome).toBe('expired');
    handler = json(200, GOOD);
    expect(ids(await provider.poll(1_002))).toEqual(['a', 'b']);
  });

  it('reports a refused connection and rejects while it has never answered', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const provider = createHttpEndpointProvider({ url: `http://127.0.0.1:${port}/`, keepLastGoodMs: 1_000 });
    await expect(provider.poll(0)).rejects.toBeInstanceOf(DiscoveryProviderError);
    expect(provider.lastPoll()).toMatchObject({ outcome: 'unavailable' });
    expect(provider.lastPoll()?.problems[0]).toMatchObject({ code: 'read_failed' });
    expect(provider.lastPoll()?.problems[0]?.message).toContain('ECONNREFUSED');
  });

  it('serves good entries and reports bad ones', async () => {
    handler = json(200, [{ assetId: 'a' }, { assetId: 7 }]);
    const provider = createHttpEndpointProvider({ url });
    expect(ids(await provider.poll(0))).toEqual(['a']);
    expect(provider.lastPoll()?.problems).toEqual([expect.objectContaining({ code: 'invalid_entry', entryIndex: 1 })]);
  });
});
