/** Regression: the audit search showed the unfiltered first page when it answered after the filtered search. */
import { describe, expect, it } from 'vitest';
import { latestOnly } from '../../console/src/latest-only';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('a search answered after a newer one was sent', () => {
  it.each(['the newer', 'the stale'])('is dropped, and the newer one is delivered, when %s one answers first', async (firstToAnswer) => {
    const latest = latestOnly<string>();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = latest(first.promise);
    const b = latest(second.promise);
    const answers = [() => second.resolve('filtered'), () => first.resolve('unfiltered')];
    for (const answer of firstToAnswer === 'the newer' ? answers : answers.reverse()) answer();
    expect(await b).toEqual({ current: true, value: 'filtered' });
    expect(await a).toEqual({ current: false });
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
