/** The live stream's `gap` event as the console tells it: which events were missed, and that a reload does not bring them back. */
import { describe, expect, it } from 'vitest';
import { describeGap, gapOf, mergeGaps, streamIdMs } from '../../console/src/stream-gap';

const AT = Date.UTC(2026, 11, 5, 9, 51, 2);

describe('the live stream\'s gap', () => {
  it.each([
    [`${AT}-0`, AT],
    [`${AT}-17`, AT],
    ['0-1', 0],
    ['1700000000000', null],
    ['abc-1', null],
    [42, null],
    [undefined, null],
  ])('reads stream id %j as the time it was added: %j', (id, expected) => {
    expect(streamIdMs(id)).toBe(expected);
  });

  it('reads the gateway\'s gap event, and still makes a gap of one it cannot read', () => {
    const data = JSON.stringify({ lastEventId: `${AT}-3`, trimmedUpTo: `${AT + 60_000}-0`, reason: 'events after your last id were trimmed' });
    expect(gapOf(data)).toEqual({ afterMs: AT, upToMs: AT + 60_000 });
    expect(gapOf('not json')).toEqual({ afterMs: null, upToMs: null });
    expect(gapOf('{"trimmedUpTo":"5-0"}')).toEqual({ afterMs: null, upToMs: 5 });
  });

  it('makes one notice of two gaps: from the earliest start to the latest end', () => {
    const first = { afterMs: AT, upToMs: AT + 10_000 };
    expect(mergeGaps(null, first)).toBe(first);
    expect(mergeGaps(first, { afterMs: AT + 20_000, upToMs: AT + 30_000 })).toEqual({ afterMs: AT, upToMs: AT + 30_000 });
    expect(mergeGaps({ afterMs: null, upToMs: null }, first)).toEqual(first);
  });

  it.each([
    [{ afterMs: AT, upToMs: AT + 125_000 }, 'after 2026-12-05 09:51:02Z up to 2026-12-05 09:53:07Z'],
    [{ afterMs: null, upToMs: AT }, 'up to 2026-12-05 09:51:02Z'],
    [{ afterMs: null, upToMs: null }, 'while it was away'],
  ])('says which events of %j were missed', (gap, span) => {
    expect(describeGap(gap, 10_000).detail).toContain(`the events added to the stream ${span} before it could send them`);
  });

  it('says what the lists show and does not promise that a reload brings the missed events back', () => {
    const { title, detail } = describeGap({ afterMs: AT, upToMs: AT + 1 }, 10_000);
    expect(title).toBe('Some live events were missed.');
    expect(detail).toContain('at most 10,000 of each kind');
    expect(detail).toContain('a reload does not bring them back');
    expect(detail).toContain('PROJECTOR_MAX_EVENTS');
  });
});
