/**
 * A schema registry that demands basic authentication (README: SCHEMA_REGISTRY_USERNAME /
 * SCHEMA_REGISTRY_PASSWORD, every service). The stack's registry runs without it, so the test puts
 * a proxy in front of the real one that refuses any request without the credentials and forwards the
 * rest. Every service must start through it: one that builds a registry client of its own without
 * the credentials (the projector's dead-letter codecs did) fails to register its schemas.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv, uniquePrefix } from '../support/environment';
import { serviceNames, spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('registry-auth');
const credentials = { username: 'maestro-services', password: 'registry-secret' };
const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
const upstream = new URL(stackEnv.SCHEMA_REGISTRY_URL);
const seen = { forwarded: 0, refused: [] as string[] };
let proxy: Server;
let proxiedUrl = '';
const running: SpawnedService[] = [];

beforeAll(async () => {
  proxy = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      seen.refused.push(`${req.method} ${req.url}`);
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="registry"' });
      res.end(JSON.stringify({ error_code: 40101, message: 'Unauthorized' }));
      return;
    }
    seen.forwarded++;
    const { authorization: _credentials, ...headers } = req.headers;
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxiedUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname}`;
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await new Promise((resolve) => proxy.close(resolve));
});

describe('a schema registry that demands basic authentication', () => {
  it('refuses a service that sends no credentials', async () => {
    const refused = await spawnService('projector', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxiedUrl }).then(
      (s) => { running.push(s); return 'started'; },
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/projector exited .*before it was ready/s);
    expect(seen.refused.length).toBeGreaterThan(0);
    expect(seen.forwarded).toBe(0);
  });

  it('serves every service that sends them: each starts, and no request goes without', async () => {
    seen.refused.length = 0;
    const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxiedUrl, SCHEMA_REGISTRY_USERNAME: credentials.username, SCHEMA_REGISTRY_PASSWORD: credentials.password };
    const started = await Promise.allSettled(serviceNames.map((name) => spawnService(name, env, { timeoutMs: 200_000 })));
    running.push(...started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    expect(started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    // Each service's readiness asks the registry too, through the same credentials.
    for (const service of running) expect((await fetch(`${service.url}/readyz`)).status, service.name).toBe(200);
    expect(seen.refused).toEqual([]);
    expect(seen.forwarded).toBeGreaterThan(serviceNames.length);
  });
});
