import { describe, expect, it } from 'vitest';
import type { Action, Recommendation } from '../src/domain';
import { flattenEvidence, toRecommendationRecord } from '../src/recommendation-record';

function rec(action: Action, over: Partial<Recommendation> = {}): Recommendation {
  return {
    assetId: 'a-1', atMs: 5_000, action, currentReplicas: 4, targetReplicas: 6, currentSizeUnits: 2, targetSizeUnits: 1.5,
    confidence: 0.8, rationale: 'why',
    evidence: {
      samples: 10, historyConfidence: 0.8, combinedRatio: 1.5, driver: 'saturation',
      signals: [{ name: 'saturation', ratio: 1.5, weighted: 1.5 }, { name: 'backlog', ratio: 3, weighted: 2 }],
      rawDesiredReplicas: 6, upFloor: 6, downCeiling: null, rateLimitMin: 2, rateLimitMax: 8, saturationMean: 0.8,
      latencyP95Ms: 40, throughputPerS: 100, unitCost: 0.01, projectedUnitCost: 0.015, usagePercentile: 1.2, recommendedSizeUnits: 2.5,
      load: 3, forecastLoad: 3.5, forecastLower: 3.1, forecastUpper: 4.2, forecastHorizonMs: 70_000.4, forecastQuantile: 0.8, seasonality: 'daily', burst: 0,
      perSecondDeviation: 0.4, usualLoad: 3.2, dip: 0, rising: 0, noiseDominated: 1,
    },
    ...over,
  };
}

describe('toRecommendationRecord', () => {
  it.each([
    ['scale_out', 6, null],
    ['scale_in', 6, null],
    ['right_size', null, 'size_units=1.5'],
    ['rebalance', null, null],
    ['hold', null, null],
  ] as const)('%s carries target replicas %s and target size %s', (action, targetReplicas, targetSize) => {
    expect(toRecommendationRecord(rec(action), 'acme')).toMatchObject({ tenant: 'acme', assetId: 'a-1', action, currentReplicas: 4, targetReplicas, targetSize, confidence: 0.8, rationale: 'why', decidedAtMs: 5_000 });
  });

  it('carries the forecast and its band beside the decision, whatever the action', () => {
    expect(toRecommendationRecord(rec('hold'), null)).toMatchObject({ forecastLoad: 3.5, forecastLower: 3.1, forecastUpper: 4.2, forecastHorizonMs: 70_000, forecastSeasonality: 'daily' });
  });
});

describe('flattenEvidence', () => {
  it('keeps finite numbers, sizes and per-signal ratios; leaves out strings and unobserved windows', () => {
    const flat = flattenEvidence(rec('scale_out'));
    expect(flat).toMatchObject({ currentSizeUnits: 2, targetSizeUnits: 1.5, upFloor: 6, 'signal.backlog.ratio': 3, 'signal.backlog.weighted': 2, rateLimitMax: 8, perSecondDeviation: 0.4, noiseDominated: 1 });
    expect(flat).not.toHaveProperty('downCeiling');
    expect(flat).not.toHaveProperty('driver');
    expect(Object.values(flat).every(Number.isFinite)).toBe(true);
  });
});
