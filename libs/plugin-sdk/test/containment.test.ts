import { describe, expect, it } from 'vitest';
import { createContainment, type AnswerCheck, type PluginFailure } from '../src/host/index';

const site = { plugin: 'acme', point: 'router policy hook h' };
const anyNumber: AnswerCheck<number> = (a) => (typeof a === 'number' ? { ok: true, value: a } : { ok: false, problem: `expected a number, got ${String(a)}` });

function rig(timeoutMs = 5_000, clock?: () => number) {
  const failures: PluginFailure[] = [];
  const containment = createContainment({ timeoutMs, onFailure: (f) => failures.push(f), ...(clock ? { clock } : {}) });
  return { containment, failures };
}

describe('callSync', () => {
  it('passes a good answer through and records nothing', () => {
    const { containment, failures } = rig();
    expect(containment.callSync(site, () => 7, anyNumber)).toEqual({ ok: true, value: 7 });
    expect(failures).toEqual([]);
  });

  it('turns a throw into a failure that names the plugin and the point', () => {
    const { containment, failures } = rig();
    const out = containment.callSync(site, () => {
      throw new Error('boom');
    }, anyNumber);
    expect(out).toEqual({ ok: false, failure: { plugin: 'acme', point: 'router policy hook h', kind: 'threw', reason: 'plugin acme failed: router policy hook h threw: boom' } });
    expect(failures).toHaveLength(1);
  });

  it('discards an answer that came after the budget', () => {
    let t = 0;
    const { containment, failures } = rig(50, () => t);
    const out = containment.callSync(site, () => {
      t += 80; // the hook took 80 ms of a 50 ms budget
      return 1;
    }, anyNumber);
    expect(out).toMatchObject({ ok: false, failure: { kind: 'over_budget', reason: 'plugin acme failed: router policy hook h took 80 ms, over its 50 ms budget' } });
    expect(failures.map((f) => f.kind)).toEqual(['over_budget']);
  });

  it('refuses a promise where a synchronous answer is due, without an unhandled rejection', async () => {
    const { containment } = rig();
    const out = containment.callSync(site, () => Promise.reject(new Error('late')), anyNumber);
    expect(out).toMatchObject({ ok: false, failure: { kind: 'bad_answer', reason: expect.stringContaining('returned a promise') } });
    await new Promise((r) => setTimeout(r, 10));
  });

  it('refuses a wrong answer with what was wrong', () => {
    const { containment } = rig();
    expect(containment.callSync(site, () => 'seven', anyNumber)).toMatchObject({ ok: false, failure: { kind: 'bad_answer', reason: 'plugin acme failed: router policy hook h answered wrongly: expected a number, got seven' } });
  });

  it('still refuses when recording the failure throws', () => {
    const containment = createContainment({ timeoutMs: 50, onFailure: () => { throw new Error('metrics down'); } });
    expect(containment.callSync(site, () => { throw new Error('boom'); }, anyNumber)).toMatchObject({ ok: false });
  });
});

describe('callAsync', () => {
  it('resolves a good answer', async () => {
    const { containment } = rig();
    expect(await containment.callAsync(site, async () => 3, anyNumber)).toEqual({ ok: true, value: 3 });
  });

  it('contains a hang: fails at the deadline and aborts the signal the plugin was given', async () => {
    const { containment, failures } = rig(40);
    let aborted = false;
    const started = Date.now();
    const out = await containment.callAsync(site, (signal) => new Promise(() => {
      signal.addEventListener('abort', () => { aborted = true; });
    }), anyNumber);
    expect(out).toMatchObject({ ok: false, failure: { kind: 'timed_out', reason: 'plugin acme failed: router policy hook h did not answer within 40 ms' } });
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(failures.map((f) => f.kind)).toEqual(['timed_out']);
  });

  it('takes a call\'s own deadline over the default', async () => {
    const { containment } = rig(10_000);
    const out = await containment.callAsync(site, () => new Promise(() => undefined), anyNumber, 20);
    expect(out).toMatchObject({ ok: false, failure: { reason: expect.stringContaining('within 20 ms') } });
  });

  it.each([
    ['a rejection', () => Promise.reject(new Error('queue API 502'))],
    ['a synchronous throw', () => { throw new Error('queue API 502'); }],
  ])('turns %s into a failure', async (_, call) => {
    const { containment } = rig();
    expect(await containment.callAsync(site, call, anyNumber)).toMatchObject({ ok: false, failure: { kind: 'threw', reason: 'plugin acme failed: router policy hook h threw: queue API 502' } });
  });

  it('checks the answer', async () => {
    const { containment } = rig();
    expect(await containment.callAsync(site, async () => null, anyNumber)).toMatchObject({ ok: false, failure: { kind: 'bad_answer' } });
  });
});
