import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTimeline, earliestFit, occupy } from '../../src/domain/timeline';

/** Places tasks one after another on a merged and an unmerged timeline; returns both. */
function placeAll(tasks: readonly { ready: number; duration: number }[], freeMs: number) {
  const merged = createTimeline(freeMs, true);
  const separate = createTimeline(freeMs, false);
  const starts: number[] = [];
  for (const { ready, duration } of tasks) {
    const a = earliestFit(merged, ready, duration, true);
    const b = earliestFit(separate, ready, duration, true);
    expect(a.start).toBe(b.start);
    starts.push(a.start);
    occupy(merged, a, a.start + duration);
    occupy(separate, b, b.start + duration);
  }
  return { merged, separate, starts };
}

describe('timeline', () => {
  it('stores touching intervals as one block, joining on either side and both', () => {
    const { merged, separate } = placeAll([{ ready: 0, duration: 10 }, { ready: 20, duration: 10 }, { ready: 10, duration: 10 }, { ready: 30, duration: 5 }], 0);
    expect(merged.starts).toEqual([0]);
    expect(merged.finishes).toEqual([35]);
    expect(separate.starts).toEqual([0, 10, 20, 30]);
  });

  it('finds the same start for positive durations whether touching intervals are merged or not', () => {
    const task = fc.record({ ready: fc.integer({ min: 0, max: 60 }), duration: fc.integer({ min: 1, max: 12 }) });
    fc.assert(fc.property(fc.array(task, { maxLength: 40 }), fc.integer({ min: 0, max: 20 }), (tasks, free) => {
      placeAll(tasks, free);
    }), { numRuns: 300 });
  });

  it('keeps joints apart when a task may take no time: it fits at a joint, not inside a block', () => {
    // Why schedulers merge only when no task has a zero-duration option (hasZeroDuration).
    const separate = createTimeline(0, false);
    const merged = createTimeline(0, true);
    for (const t of [separate, merged]) {
      occupy(t, earliestFit(t, 0, 10, true), 10);
      occupy(t, earliestFit(t, 10, 10, true), 20);
    }
    expect(earliestFit(separate, 10, 0, true).start).toBe(10);
    expect(earliestFit(merged, 10, 0, true).start).toBe(20);
  });
});
