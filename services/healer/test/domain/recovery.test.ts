import { describe, expect, it } from 'vitest';
import { evaluateRecovery } from '../../src/domain/index';
import type { ExpectedRecovery, MetricSample, RecoveryStatus } from '../../src/domain/index';

const START = 1_000_000;
const down: ExpectedRecovery = { metric: 'latency_ms', withinMs: 10_000, condition: { op: 'at_most', threshold: 120, sustainedSamples: 3 } };
const up: ExpectedRecovery = { metric: 'throughput_rps', withinMs: 10_000, condition: { op: 'at_least', threshold: 50, sustainedSamples: 2 } };

/** Samples at START + offset with the given metric values (undefined: the metric is absent). */
const series = (metric: string, points: readonly [number, number | undefined][]): MetricSample[] =>
  points.map(([offset, value]) => ({ timestampMs: START + offset, metrics: value === undefined ? { cpu: 0.5 } : { [metric]: value } }));

describe('evaluateRecovery', () => {
  it.each<{ name: string; expected: ExpectedRecovery; points: [number, number | undefined][]; nowOffset: number; status: RecoveryStatus }>([
    { name: 'three good samples in a row', expected: down, points: [[1_000, 110], [2_000, 100], [3_000, 119]], nowOffset: 3_500, status: 'recovered' },
    { name: 'threshold itself counts', expected: down, points: [[1_000, 120], [2_000, 120], [3_000, 120]], nowOffset: 3_500, status: 'recovered' },
    { name: 'run broken by a bad sample', expected: down, points: [[1_000, 110], [2_000, 200], [3_000, 100], [4_000, 100]], nowOffset: 4_500, status: 'not_yet' },
    { name: 'run broken, window closed', expected: down, points: [[1_000, 110], [2_000, 200], [3_000, 100], [4_000, 100]], nowOffset: 10_000, status: 'failed' },
    { name: 'no samples, window closed', expected: down, points: [], nowOffset: 10_000, status: 'failed' },
    { name: 'no samples yet', expected: down, points: [], nowOffset: 9_999, status: 'not_yet' },
    { name: 'samples before the action do not count', expected: down, points: [[-2_000, 100], [-1_000, 100], [0, 100], [1_000, 100]], nowOffset: 10_000, status: 'failed' },
    { name: 'samples after the deadline do not count', expected: down, points: [[9_000, 100], [9_500, 100], [10_001, 100]], nowOffset: 20_000, status: 'failed' },
    { name: 'out-of-order samples are sorted first', expected: down, points: [[3_000, 100], [1_000, 100], [2_000, 100], [500, 300]], nowOffset: 3_000, status: 'recovered' },
    { name: 'samples without the metric neither break nor extend a run', expected: down, points: [[1_000, 100], [1_500, undefined], [2_000, 100], [3_000, 100]], nowOffset: 4_000, status: 'recovered' },
    { name: 'at_least: throughput back up', expected: up, points: [[1_000, 40], [2_000, 55], [3_000, 60]], nowOffset: 3_000, status: 'recovered' },
    { name: 'at_least: still low at deadline', expected: up, points: [[1_000, 40], [9_000, 49]], nowOffset: 12_000, status: 'failed' },
  ])('$name → $status', ({ expected, points, nowOffset, status }) => {
    const result = evaluateRecovery({ startedAtMs: START, expectedRecovery: expected }, series(expected.metric, points), START + nowOffset);
    expect(result.status).toBe(status);
    expect(result.deadlineMs).toBe(START + 10_000);
    expect(result.reasons.length).toBeGreaterThan(0);
  });

  it('says what it waited for in readable terms: the threshold rounded, times as instants and lengths', () => {
    const precise: ExpectedRecovery = { metric: 'latency_ms', withinMs: 180_000, condition: { op: 'at_most', threshold: 51.10162100872036, sustainedSamples: 3 } };
    const judge = (points: [number, number][], nowOffset: number) => evaluateRecovery({ startedAtMs: START, expectedRecovery: precise }, series('latency_ms', points), START + nowOffset).reasons;
    expect(judge([[1_000, 50], [2_000, 49], [3_000, 48.5]], 3_000)).toEqual([`latency_ms ≤ 51.1 for 3 samples: held by ${new Date(START + 3_000).toISOString()}`]);
    expect(judge([[1_000, 80]], 49_051)).toEqual(['waiting for latency_ms ≤ 51.1 for 3 samples: 2 min 11 s left']);
    expect(judge([[1_000, 5006.8123]], 180_000)).toEqual(['latency_ms ≤ 51.1 for 3 samples not reached within 3 min (last latency_ms was 5007)']);
  });

  it('reports when recovery happened', () => {
    const samples = series('latency_ms', [[1_000, 100], [2_000, 100], [3_000, 100], [4_000, 100]]);
    expect(evaluateRecovery({ startedAtMs: START, expectedRecovery: down }, samples, START + 5_000).recoveredAtMs).toBe(START + 3_000);
  });

  it('gives the same verdict however late it is asked after the deadline', () => {
    const samples = series('latency_ms', [[1_000, 100], [2_000, 300], [11_000, 100], [12_000, 100], [13_000, 100]]);
    const verdicts = [10_000, 15_000, 60_000].map((offset) => evaluateRecovery({ startedAtMs: START, expectedRecovery: down }, samples, START + offset).status);
    expect(verdicts).toEqual(['failed', 'failed', 'failed']);
  });
});
