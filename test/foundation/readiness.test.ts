import { afterAll, describe, expect, it } from 'vitest';
import { serviceNames, spawnService, type SpawnedService } from '../support/services';
import { eventually, uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('ready');
const running: SpawnedService[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
});

describe('every service', () => {
  it('answers /readyz with 200 once the stack is up, with each check passing, and exits 0 on SIGTERM', async () => {
    // Started together, as npm start does; each creates its topics and joins its groups.
    const started = await Promise.allSettled(serviceNames.map((name) => spawnService(name, { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: `${prefix}` })));
    const services = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    running.push(...services);
    expect(started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    for (const service of services) {
      // Its probes run on request with a 2 s bound each: on a loaded machine one can miss it for a
      // moment after the service said it was ready, so the answer is awaited, and a lasting 503
      // fails with the checks that failed.
      let last: { status: number; body: { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> } } | undefined;
      const readyz = async () => {
        const response = await fetch(`${service.url}/readyz`);
        last = { status: response.status, body: (await response.json()) as NonNullable<typeof last>['body'] };
        return last.status === 200 && last;
      };
      const { body } = await eventually(readyz, 20_000, `${service.name} /readyz 200`).catch(() => last!);
      expect({ service: service.name, status: last!.status, ready: body.ready, failing: Object.entries(body.checks).filter(([, c]) => !c.ok) })
        .toEqual({ service: service.name, status: 200, ready: true, failing: [] });
      expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['kafka', 'registry', 'redis']));
      expect(Object.keys(body.checks).some((name) => name.startsWith('group ') || name === 'reply group')).toBe(true);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain('maestro_records_consumed_total');
    }
    const exits = await Promise.all(services.map((s) => s.stop('SIGTERM')));
    expect(exits.map((e) => e.code)).toEqual(services.map(() => 0));
  });
});
