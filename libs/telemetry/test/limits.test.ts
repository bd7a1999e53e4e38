import { describe, expect, it } from 'vitest';
import { resolveSignalLimits } from '../src/index';

describe('resolveSignalLimits', () => {
  it('applies overrides over the defaults and freezes the result', () => {
    const limits = resolveSignalLimits({ maxClockSkewMs: 1_000 });
    expect(limits.maxClockSkewMs).toBe(1_000);
    expect(limits.maxAgeMs).toBe(300_000);
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it.each([{ maxAgeMs: -1 }, { maxMetrics: 1.5 }, { maxLabels: Number.NaN }])('refuses %o naming the field', (override) => {
    const [name] = Object.keys(override);
    expect(() => resolveSignalLimits(override)).toThrow(new RegExp(`${name}`));
  });
});
