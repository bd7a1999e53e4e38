import { describe, expect, it } from 'vitest';
import { alphaForHalfLife } from '../../src/domain/baseline';
import { measure } from '../../src/domain/features';
import { initialState, resolveDetectorConfig, run } from '../../src/domain/index';
import { pushSample } from '../../src/domain/recent-window';
import { whiteNoise } from './series';

const config = resolveDetectorConfig();

describe('features: the settled level', () => {
  const { state } = run(initialState(), whiteNoise(500, 3), config);
  const at = (value: number, s = state) => {
    const t = 500 * 60_000;
    const levelMean = s.levelMean + alphaForHalfLife(config.shiftHalfLifeSamples) * (value - s.levelMean);
    return { f: measure(s, value, levelMean, pushSample(s.recent, t, value, config.recentWindowSize), config), levelMean, t };
  };

  it('is not moved by one outlier, which drags the fast level along', () => {
    const { f } = at(112);
    expect(Math.abs(f.settledShiftZ)).toBeLessThan(3);
    expect(f.zScore).toBeGreaterThan(8);
  });

  it('follows a shift once two of the last three samples are on the new level', () => {
    const first = at(112);
    const moved = { ...state, levelMean: first.levelMean, recent: pushSample(state.recent, first.t, 112, config.recentWindowSize) };
    const { f } = at(112, moved);
    expect(f.settledShiftZ).toBeGreaterThan(8);
  });
});
