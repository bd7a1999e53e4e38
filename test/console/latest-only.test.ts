/** Regression: the audit search showed the unfiltered first page when it answered after the filtered search. */
import { describe, expect, it } from 'vitest';
import { latestOnly } from '../../console/src/latest-only';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('a search answered after a newer one was sent', () => {
  it('is dropped, and the newer one is delivered whichever answers first', async () => {
    const latest = latestOnly<string>();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = latest(first.promise);
    const b = latest(second.promise);
    second.resolve('filtered');
    expect(await b).toEqual({ current: true, value: 'filtered' });
    first.resolve('unfiltered');
    expect(await a).toEqual({ current: false });

    // The other order: the stale one answers first, and is dropped all the same.
    const again = latestOnly<string>();
    const third = deferred<string>();
    const fourth = deferred<string>();
    const c = again(third.promise);
    const d = again(fourth.promise);
    third.resolve('unfiltered');
    expect(await c).toEqual({ current: false });
    fourth.resolve('filtered');
    expect(await d).toEqual({ current: true, value: 'filtered' });
  });

  it('delivers a lone request, and one sent after an earlier one answered', async () => {
    const latest = latestOnly<number>();
    expect(await latest(Promise.resolve(1))).toEqual({ current: true, value: 1 });
    expect(await latest(Promise.resolve(2))).toEqual({ current: true, value: 2 });
  });

  it('drops a stale request\'s failure, and passes on the latest one\'s', async () => {
    const latest = latestOnly<number>();
    const first = deferred<number>();
    const a = latest(first.promise.then(() => Promise.reject(new Error('stale'))));
    const b = latest(Promise.reject(new Error('current')));
    await expect(b).rejects.toThrow('current');
    first.resolve(0);
    expect(await a).toEqual({ current: false });
  });
});
