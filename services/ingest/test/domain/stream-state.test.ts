import { describe, expect, it } from 'vitest';
import { EMPTY_STREAM_STATE, parseStreamState, resolveOrderingConfig } from '../../src/domain/index';

const config = resolveOrderingConfig({ recentCapacity: 3 });

describe('parseStreamState', () => {
  it.each([
    { name: 'a string', raw: 'x' },
    { name: 'null', raw: null },
    { name: 'a missing list', raw: { lastAcceptedMs: 1, horizonMs: null } },
    { name: 'a non-numeric entry', raw: { lastAcceptedMs: 1, recentMs: ['1'], horizonMs: null } },
    { name: 'a fractional timestamp', raw: { lastAcceptedMs: 1.5, recentMs: [], horizonMs: null } },
    { name: 'a missing horizon', raw: { lastAcceptedMs: 1, recentMs: [] } },
  ])('refuses $name', ({ raw }) => {
    expect(parseStreamState(raw, config)).toBeNull();
  });

  it('round-trips a state through JSON', () => {
    const state = { lastAcceptedMs: 30, recentMs: [10, 20, 30], horizonMs: 5 };
    expect(parseStreamState(JSON.parse(JSON.stringify(state)), config)).toEqual(state);
    expect(parseStreamState(JSON.parse(JSON.stringify(EMPTY_STREAM_STATE)), config)).toEqual(EMPTY_STREAM_STATE);
  });

  it('sorts, de-duplicates, and trims to capacity raising the horizon', () => {
    const raw = { lastAcceptedMs: 50, recentMs: [50, 10, 40, 20, 40, 30], horizonMs: 5 };
    expect(parseStreamState(raw, config)).toEqual({ lastAcceptedMs: 50, recentMs: [30, 40, 50], horizonMs: 20 });
  });
});

describe('resolveOrderingConfig', () => {
  it.each([{ recentCapacity: 0 }, { lateToleranceMs: -1 }, { lateToleranceMs: 0.5 }])('refuses %o naming the field', (override) => {
    const [name] = Object.keys(override);
    expect(() => resolveOrderingConfig(override)).toThrow(new RegExp(`${name}`));
  });
});
