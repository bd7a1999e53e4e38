import { describe, expect, it } from 'vitest';
import { DETECTOR_STATE_VERSION, initialState, resolveDetectorConfig, restoreState, run, step } from '../../src/domain/index';
import type { AnomalyKind, DetectorState, Sample, Verdict } from '../../src/domain/index';
import { series, whiteNoise } from './series';

const config = resolveDetectorConfig();
const ONSET = 1500;

/** Indices and kinds of every anomaly reported. */
function alarms(verdicts: readonly Verdict[]): { index: number; kind: AnomalyKind }[] {
  return verdicts.flatMap((v, index) => (v.anomaly ? [{ index, kind: v.anomaly.kind }] : []));
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('step: each kind on a synthetic series (level 100, noise sd 1, onset at sample 1500)', () => {
  it.each<{ name: string; kind: AnomalyKind; within: number; make: (i: number, e: number) => number }>([
    { name: 'a single high sample', kind: 'spike', within: 1, make: (i, e) => 100 + e + (i === ONSET ? 12 : 0) },
    { name: 'a single low sample', kind: 'drop', within: 1, make: (i, e) => 100 + e - (i === ONSET ? 12 : 0) },
    { name: 'a sustained level shift', kind: 'drift', within: 10, make: (i, e) => 100 + e + (i >= ONSET ? 6 : 0) },
    { name: 'a ramp', kind: 'drift', within: 60, make: (i, e) => 100 + e + (i >= ONSET ? 0.1 * (i - ONSET) : 0) },
    { name: 'flapping', kind: 'oscillation', within: 16, make: (i, e) => 100 + e + (i >= ONSET ? (i % 2 === 0 ? 3 : -3) : 0) },
  ])('reports $kind for $name, and nothing before it', ({ kind, within, make }) => {
    const { verdicts } = run(initialState(), series(ONSET + 200, 11, make), config);
    const found = alarms(verdicts);
    expect(found.filter((a) => a.index < ONSET)).toEqual([]);
    const hit = found.find((a) => a.kind === kind);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit!.index).toBeGreaterThanOrEqual(ONSET);
    expect(hit!.index).toBeLessThan(ONSET + within);
  });

  it('carries severity and evidence that justify a spike', () => {
    const samples = series(ONSET + 1, 5, (i, e) => 100 + e + (i === ONSET ? 12 : 0));
    const last = run(initialState(), samples, config).verdicts[ONSET]!;
    expect(last.score).toBeGreaterThanOrEqual(config.threshold);
    expect(last.score).toBeLessThanOrEqual(1);
    const a = last.anomaly!;
    expect(a.kind).toBe('spike');
    expect(a.severity).toBeGreaterThan(0.5);
    expect(a.severity).toBeLessThanOrEqual(1);
    expect(a.evidence.zScore).toBeGreaterThan(8);
    expect(a.evidence.baselineMean).toBeCloseTo(100, 0);
    expect(a.evidence.baselineStd).toBeGreaterThan(0.7);
    expect(a.evidence.baselineStd).toBeLessThan(1.4);
  });

  it('rates a bigger spike as more severe', () => {
    const severity = (size: number) => {
      const samples = series(ONSET + 1, 5, (i, e) => 100 + e + (i === ONSET ? size : 0));
      return run(initialState(), samples, config).verdicts[ONSET]!.anomaly!.severity;
    };
    expect(severity(30)).toBeGreaterThan(severity(10));
  });
});

describe('step: must not flag', () => {
  it.each<{ name: string; samples: Sample[] }>([
    { name: 'white noise around a level', samples: whiteNoise(10_000, 1) },
    { name: 'white noise at a large scale', samples: whiteNoise(10_000, 2, 1e9, 1e6) },
    { name: 'a daily sinusoid (1-minute samples) with noise', samples: series(10_000, 3, (i, e) => 100 + 20 * Math.sin((2 * Math.PI * i) / 1440) + e) },
    { name: 'a flat series', samples: series(5_000, 4, () => 42) },
    {
      name: 'a single missing sample in white noise',
      samples: whiteNoise(3_000, 5).filter((_, i) => i !== ONSET),
    },
  ])('$name', ({ samples }) => {
    const { verdicts } = run(initialState(), samples, config);
    expect(alarms(verdicts)).toEqual([]);
  });

  it('a gap in timestamps does not change the verdicts that follow it', () => {
    const base = whiteNoise(2_000, 6);
    const gapped = base.map((s, i) => (i >= ONSET ? { ...s, timestampMs: s.timestampMs + 60_000 } : s));
    const a = run(initialState(), base, config).verdicts.map((v) => v.score);
    const b = run(initialState(), gapped, config).verdicts.map((v) => v.score);
    expect(b).toEqual(a);
  });
});

describe('step: warm-up', () => {
  it('scores 0 and reports nothing until warmupSamples have been seen, even on a huge outlier', () => {
    const c = resolveDetectorConfig({ warmupSamples: 50 });
    const samples = series(60, 8, (i, e) => 100 + e + (i === 30 ? 1000 : 0));
    const { verdicts } = run(initialState(), samples, c);
    verdicts.slice(0, 50).forEach((v) => {
      expect(v.score).toBe(0);
      expect(v.anomaly).toBeNull();
      expect(v.warmingUp).toBe(true);
    });
    expect(verdicts[50]!.warmingUp).toBe(false);
  });

  it('fires on the first sample after warm-up when it is anomalous', () => {
    const c = resolveDetectorConfig({ warmupSamples: 50 });
    const samples = series(51, 8, (i, e) => 100 + e + (i === 50 ? 50 : 0));
    expect(run(initialState(), samples, c).verdicts[50]!.anomaly?.kind).toBe('spike');
  });
});

describe('step: repeated alarms', () => {
  const spikes = (gap: number) => series(ONSET + 400, 9, (i, e) => 100 + e + (i >= ONSET && (i - ONSET) % gap === 0 ? 12 : 0));

  it('fires once for spikes of the same size repeated within the refractory window', () => {
    const c = resolveDetectorConfig({ refractorySamples: 300 });
    const found = alarms(run(initialState(), spikes(20), c).verdicts);
    expect(found.filter((a) => a.index < ONSET + 300).map((a) => a.index)).toEqual([ONSET]);
  });

  it('fires more often without a refractory window', () => {
    const count = (refractorySamples: number) =>
      alarms(run(initialState(), spikes(50), resolveDetectorConfig({ refractorySamples })).verdicts).length;
    expect(count(300)).toBe(1);
    expect(count(0)).toBeGreaterThan(count(300));
  });

  it('lets a worse value through: a new extreme beyond the one already reported', () => {
    const samples = series(ONSET + 100, 10, (i, e) => 100 + e + (i === ONSET ? 12 : i === ONSET + 20 ? 30 : 0));
    expect(alarms(run(initialState(), samples, config).verdicts).map((a) => a.index)).toEqual([ONSET, ONSET + 20]);
  });

  it('reports a step change once as a spike, then once as drift, not on every sample', () => {
    const samples = series(ONSET + 100, 11, (i, e) => 100 + e + (i >= ONSET ? 12 : 0));
    const found = alarms(run(initialState(), samples, config).verdicts);
    expect(found.map((a) => a.kind)).toEqual(['spike', 'drift']);
  });
});

describe('state', () => {
  const long = series(50_000, 12, (i, e) => 1.234567e9 + 1e6 * Math.sin(i / 300) + 12345.678 * e);

  it('is versioned, plain JSON and bounded whatever the series length', () => {
    const s = run(initialState(), long, config).state;
    expect(s.version).toBe(DETECTOR_STATE_VERSION);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(JSON.stringify(s).length).toBeLessThan(2048);
    const widest = run(initialState(), long.slice(0, 5_000), resolveDetectorConfig({ recentWindowSize: 32 })).state;
    expect(JSON.stringify(widest).length).toBeLessThan(2048);
  });

  it('round-trips through JSON mid-stream with identical results', () => {
    const samples = series(4_000, 13, (i, e) => 100 + e + (i === 3_000 ? 15 : 0) + (i >= 3_500 ? 5 : 0));
    const straight = run(initialState(), samples, config).verdicts;
    const first = run(initialState(), samples.slice(0, 2_000), config);
    const restored = restoreState(JSON.parse(JSON.stringify(first.state)));
    const second = run(restored, samples.slice(2_000), config);
    expect([...first.verdicts, ...second.verdicts]).toEqual(straight);
    expect(alarms(straight).length).toBeGreaterThan(0);
  });

  it('never mutates the state it is given', () => {
    let s: DetectorState = initialState();
    for (const sample of whiteNoise(300, 14)) {
      const frozen = deepFreeze(s);
      const copy = JSON.stringify(frozen);
      s = step(frozen, sample, config).state;
      expect(JSON.stringify(frozen)).toBe(copy);
    }
  });

  it('discards a state of another version', () => {
    expect(restoreState({ version: 0, samples: 5 })).toEqual(initialState());
    expect(restoreState(null)).toEqual(initialState());
  });

  it('skips a non-finite value without changing the state', () => {
    const s = run(initialState(), whiteNoise(200, 15), config).state;
    const r = step(s, { timestampMs: 1, value: Number.NaN }, config);
    expect(r.state).toBe(s);
    expect(r.verdict.anomaly).toBeNull();
  });
});

describe('performance', () => {
  it('steps well over 200,000 samples per second', () => {
    const samples = whiteNoise(200_000, 16);
    run(initialState(), samples.slice(0, 20_000), config);
    const started = performance.now();
    run(initialState(), samples, config);
    const perSecond = samples.length / ((performance.now() - started) / 1000);
    // Asserted at half the target so a loaded CI machine does not fail it; the report measures it.
    expect(perSecond).toBeGreaterThan(100_000);
  });
});
