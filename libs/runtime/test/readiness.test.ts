import { describe, expect, it } from 'vitest';
import { createReadiness } from '../src';

describe('readiness', () => {
  it('is ready only when every probe passes, and says which failed and why', async () => {
    const readiness = createReadiness({ cacheMs: 0 });
    readiness.add('kafka', () => {});
    readiness.add('redis', async () => { throw new Error('connection refused'); });
    expect(await readiness.report()).toEqual({ ready: false, checks: { kafka: { ok: true }, redis: { ok: false, error: 'connection refused' } } });
  });

  it('fails a probe that does not answer in time', async () => {
    const readiness = createReadiness({ cacheMs: 0, timeoutMs: 20 });
    readiness.add('registry', () => new Promise(() => {}));
    expect(await readiness.report()).toEqual({ ready: false, checks: { registry: { ok: false, error: 'no answer within 20 ms' } } });
  });

  it('answers from its cache within the cache time, so polling does not load the infrastructure', async () => {
    const readiness = createReadiness({ cacheMs: 60_000 });
    let calls = 0;
    readiness.add('kafka', () => { calls++; });
    await readiness.report();
    await readiness.report();
    expect(calls).toBe(1);
  });
});
