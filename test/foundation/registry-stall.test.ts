/**
 * A schema registry that takes a request and never answers it (SCHEMA_REGISTRY_TIMEOUT_MS). Without a
 * bound the service waited for the answer forever, after "topics created" and before "ready"; with
 * it, one lost request costs one bound and a second try, and a registry that never answers ends the
 * start with an error that says so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/environment';
import { startRegistryProxy, type RegistryProxy } from '../support/registry-proxy';
import { spawnService, type SpawnedService } from '../support/services';

const proxies: RegistryProxy[] = [];
const running: SpawnedService[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await Promise.all(proxies.map((p) => p.close()));
});

const registering = (method: string | undefined, url: string | undefined) => method === 'POST' && /\/subjects\/[^/]+\/versions$/.test(url ?? '');

describe('a schema registry that does not answer', () => {
  it('costs one bounded wait and a second try when it drops one registration', async () => {
    let dropped = false;
    const proxy = await startRegistryProxy((req) => {
      if (dropped || !registering(req.method, req.url)) return 'forward';
      dropped = true;
      return 'swallow';
    });
    proxies.push(proxy);
    const prefix = uniquePrefix('registry-drop');
    const service = await spawnService('ingest', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_TIMEOUT_MS: '1000' }, { timeoutMs: 60_000 });
    running.push(service);
    expect(proxy.seen.swallow).toHaveLength(1);
    // The dropped registration was made again, and answered.
    expect(proxy.seen.forward).toContain(proxy.seen.swallow[0]);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
  });

  it('ends the start with an error naming the registry and the bound when it never answers', async () => {
    const proxy = await startRegistryProxy(() => 'swallow');
    proxies.push(proxy);
    const prefix = uniquePrefix('registry-hang');
    const failure = await spawnService('ingest', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_TIMEOUT_MS: '500' }, { timeoutMs: 60_000 }).then(
      (s) => { running.push(s); return 'started'; },
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/ingest exited .*before it was ready/s);
    expect(failure).toMatch(/registering maestro\.\S+ under subject \S+ failed: .*Timeout \(500ms\)/);
    // Five tries, each ended by the bound: the first request of each (the subject's compatibility rule) got no answer.
    expect(proxy.seen.swallow).toHaveLength(5);
  });
});
