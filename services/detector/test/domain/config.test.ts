import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG, DetectorConfigError, resolveDetectorConfig } from '../../src/domain/index';
import type { DetectorConfig } from '../../src/domain/index';

describe('resolveDetectorConfig', () => {
  it('returns the frozen defaults when given nothing', () => {
    const c = resolveDetectorConfig();
    expect(c).toEqual(DEFAULT_DETECTOR_CONFIG);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('overrides only the fields given', () => {
    const c = resolveDetectorConfig({ threshold: 0.7, warmupSamples: 10 });
    expect(c.threshold).toBe(0.7);
    expect(c.warmupSamples).toBe(10);
    expect(c.refractorySamples).toBe(DEFAULT_DETECTOR_CONFIG.refractorySamples);
  });

  it.each<[Partial<Record<keyof DetectorConfig, unknown>>, keyof DetectorConfig]>([
    [{ threshold: 1.5 }, 'threshold'],
    [{ threshold: -0.1 }, 'threshold'],
    [{ threshold: Number.NaN }, 'threshold'],
    [{ warmupSamples: 1 }, 'warmupSamples'],
    [{ warmupSamples: 10.5 }, 'warmupSamples'],
    [{ recentWindowSize: 1000 }, 'recentWindowSize'],
    [{ baselineHalfLifeSamples: 0 }, 'baselineHalfLifeSamples'],
    [{ refractorySamples: -1 }, 'refractorySamples'],
    [{ threshold: '0.5' }, 'threshold'],
  ])('rejects %j naming %s', (input, field) => {
    const attempt = () => resolveDetectorConfig(input as Partial<DetectorConfig>);
    expect(attempt).toThrow(DetectorConfigError);
    expect(attempt).toThrow(field);
  });

  it('rejects an unknown setting', () => {
    expect(() => resolveDetectorConfig({ thresold: 0.5 } as unknown as Partial<DetectorConfig>)).toThrow(/unknown setting/);
  });
});
