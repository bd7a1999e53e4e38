/** The decision lists' row cache: a live burst remakes only the rows of new events or of events whose row reads differently. */
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../../console/src/event';
import { createRowCache } from '../../console/src/row-cache';

const event = (id: string): ProjectedEvent => ({ id, kind: 'anomaly', tenant: 'acme', atMs: 0, assetId: 'a', assetIds: ['a'], jobId: null, severity: 0.5, summary: '', record: {} });

describe('the row cache', () => {
  it('makes a row once per event and key, and again when the key changes', () => {
    const cached = createRowCache<{ n: number }>();
    let made = 0;
    const make = () => ({ n: ++made });
    const a = event('a');
    const b = event('b');
    const first = cached(a, '0/0/0', make);
    expect(cached(a, '0/0/0', make)).toBe(first);
    expect(made).toBe(1);
    // Another event with the same key is another row.
    expect(cached(b, '0/0/0', make)).not.toBe(first);
    expect(made).toBe(2);
    // An action arrived for a: its row is made again, and kept under the new key.
    const second = cached(a, '1/0/0', make);
    expect(second).toEqual({ n: 3 });
    expect(cached(a, '1/0/0', make)).toBe(second);
    expect(made).toBe(3);
  });

  it('keys by the event object, not its id: a list rebuilt with equal events makes new rows', () => {
    const cached = createRowCache<string>();
    let made = 0;
    cached(event('a'), '', () => `row ${++made}`);
    expect(cached(event('a'), '', () => `row ${++made}`)).toBe('row 2');
  });
});
