/**
 * A schema registry that demands basic authentication (README: SCHEMA_REGISTRY_USERNAME /
 * SCHEMA_REGISTRY_PASSWORD, every service). The stack's registry runs without it, so the test puts
 * a proxy in front of the real one that refuses any request without the credentials and forwards the
 * rest. Every service must start through it: one that builds a registry client of its own without
 * the credentials (the projector's dead-letter codecs did) fails to register its schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/environment';
import { startRegistryProxy, type RegistryProxy } from '../support/registry-proxy';
import { serviceNames, spawnService, startFailure, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('registry-auth');
const credentials = { username: 'maestro-services', password: 'registry-secret' };
const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
let proxy: RegistryProxy;
const running: SpawnedService[] = [];

beforeAll(async () => {
  proxy = await startRegistryProxy((req) => (req.headers.authorization === expected ? 'forward' : 'refuse'));
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await proxy.close();
});

describe('a schema registry that demands basic authentication', () => {
  it('refuses a service that sends no credentials', async () => {
    const refused = await startFailure('projector', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxy.url });
    expect(refused).toMatch(/projector exited .*before it was ready/s);
    expect(proxy.seen.refuse.length).toBeGreaterThan(0);
    expect(proxy.seen.forward).toEqual([]);
  });

  it('serves every service that sends them: each starts, and no request goes without', async () => {
    proxy.seen.refuse.length = 0;
    const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_USERNAME: credentials.username, SCHEMA_REGISTRY_PASSWORD: credentials.password };
    const started = await Promise.allSettled(serviceNames.map((name) => spawnService(name, env, { timeoutMs: 200_000 })));
    running.push(...started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    expect(started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    // Each service's readiness asks the registry too, through the same credentials.
    for (const service of running) expect((await fetch(`${service.url}/readyz`)).status, service.name).toBe(200);
    expect(proxy.seen.refuse).toEqual([]);
    expect(proxy.seen.forward.length).toBeGreaterThan(serviceNames.length);
  });
});
