/**
 * The streaming detector: one pure step per sample, `(state, sample, config) -> { state, verdict }`,
 * with no clock, no randomness and no I/O, so the service, a replay and the NAB runner all get the
 * same answers from the same inputs. It needs no training phase: every statistic adapts online.
 *
 * The score is the largest of four signals: the likelihood of the recent surprise under the series'
 * own history of surprise (catches spikes, drops and fast shifts relative to the usual noise); a new
 * extreme beyond the range the series has visited (catches a peak that a daily cycle's wide variance
 * would hide); a CUSUM drift alarm (catches a slow ramp or a level change that the adaptive
 * statistics would absorb, see `drift.ts`); and a flapping regime that is unusual for the series
 * (see `flapping.ts`); and the likelihood of the residual from the series' time-of-day profile
 * (catches a value that is ordinary for the series but not at this hour: a missing daily peak, a
 * plateau at a quiet hour, see `seasonal.ts`).
 */
import { alphaForHalfLife, seedBaseline, updateBaseline } from './baseline';
import { classify, severityOf } from './classify';
import type { ResolvedDetectorConfig } from './config';
import { anchorDrift, driftScore, updateDrift } from './drift';
import type { DriftReading } from './drift';
import { measure } from './features';
import type { Features } from './features';
import { flappingTail, updateUsualReversals, updateUsualStep } from './flapping';
import { scoreOfTail, updateSurprise } from './likelihood';
import { seedRange, updateRange } from './range';
import { pushSample } from './recent-window';
import { applyRefractory } from './refractory';
import type { DetectorState } from './state';
import { seasonalScore } from './seasonal';
import { extremeScore, rawSurprise, judgedSurprise } from './surprise';
import type { Anomaly, AnomalyKind, Verdict } from './verdict';

/** One observation of a metric. */
export interface Sample {
  readonly timestampMs: number;
  readonly value: number;
}

/** The result of one step: the state to store and the verdict to publish. */
export interface StepResult {
  readonly state: DetectorState;
  readonly verdict: Verdict;
}

// Below this the long-run spread of surprise is not trusted: on a perfectly regular series the
// tiniest wobble would otherwise be a certain anomaly.
const MIN_SURPRISE_STD = 0.02;

// White noise has a mean |step| of about 1.1 stddevs; a quarter of a stddev as the smallest usual
// step lets a series that was flat learn its new noise within a few dozen samples.
const USUAL_STEP_FLOOR_STD = 0.25;

/**
 * Folds one sample into the state and judges it. The input state is never mutated. A non-finite
 * value is skipped (state unchanged, score 0): a missing reading is not evidence of anything.
 */
export function step(state: DetectorState, sample: Sample, config: ResolvedDetectorConfig): StepResult {
  const x = sample.value;
  if (!Number.isFinite(x)) {
    return { state, verdict: { score: 0, anomaly: null, warmingUp: state.samples < config.warmupSamples, joined: null, recovered: false } };
  }
  const recent = pushSample(state.recent, sample.timestampMs, x, config.recentWindowSize);
  if (state.samples === 0) {
    const seeded: DetectorState = {
      ...state, samples: 1, baseline: seedBaseline(x), levelMean: x, range: seedRange(x), recent,
    };
    return { state: seeded, verdict: { score: 0, anomaly: null, warmingUp: true, joined: null, recovered: false } };
  }

  const samples = state.samples + 1;
  const warmingUp = samples <= config.warmupSamples;
  const levelMean = state.levelMean + alphaForHalfLife(config.shiftHalfLifeSamples) * (x - state.levelMean);
  const features = measure(state, x, levelMean, recent, config);
  const surprise = rawSurprise(features);
  const likely = updateSurprise(state.surprise, surprise, config.surpriseHistoryHalfLifeSamples,
    config.surpriseRecentHalfLifeSamples, MIN_SURPRISE_STD, samples, judgedSurprise(features));

  // The slow rate of the baseline's half-life, without the 1/n of a young series: the drift
  // reference and the usual step must not learn a regime as fast as it develops.
  const slowAlpha = alphaForHalfLife(config.baselineHalfLifeSamples);
  // The drift test starts at the end of warm-up, anchored at what warm-up learnt.
  const drift = warmingUp ? null : updateDrift(state.drift, x, levelMean, sample.timestampMs, slowAlpha, features.baselineStd);
  const classification = classify(features, drift);
  const seasonal = seasonalScore(state.seasonal, x, sample.timestampMs, features.baselineStd,
    config.surpriseHistoryHalfLifeSamples, MIN_SURPRISE_STD, config.baselineClampZ, features.settled);
  const combined = Math.max(likely.score, extremeScore(features.rangeExcess),
    drift ? driftScore(drift) : 0, scoreOfTail(flappingTail(features.flapping, state.reversalMean)), seasonal.score);
  // Warm-up still learns every statistic; it only withholds judgement.
  const gated = warmingUp
    ? { score: 0, refractory: state.refractory, joined: null, relatedKinds: [], recovered: false }
    : applyRefractory(state.refractory, {
      score: combined, kind: classification.kind, direction: classification.direction, rangeExcess: features.rangeExcess,
      level: levelMean, baselineMean: features.baselineMean,
    }, config);
  const anomaly = gated.score >= config.threshold && !warmingUp
    ? anomalyOf(classification.kind, classification.magnitude, features, drift, surprise, seasonal.z,
      gated.relatedKinds)
    : null;

  // Early on the baseline and step size learn at 1/n (a plain average of what has been seen), so
  // warm-up ends with usable values whatever the half-life.
  const baselineAlpha = Math.max(slowAlpha, 1 / samples);
  // How much a series usually flaps is learnt like its surprise history: at 1/n during warm-up,
  // then slowly, so one flapping incident does not teach it that flapping is normal.
  const historyAlpha = warmingUp ? 1 / samples : alphaForHalfLife(config.surpriseHistoryHalfLifeSamples);
  const baseline = updateBaseline(state.baseline, x, baselineAlpha, config.baselineClampZ);
  const prev = state.recent.values[state.recent.values.length - 1] ?? x;
  return {
    state: {
      version: state.version,
      samples,
      baseline,
      levelMean,
      // Warm-up learns every step as it is; after it, large steps are limited and learnt slowly,
      // so that flapping cannot quickly teach the usual step that flapping is usual.
      stepMean: updateUsualStep(state.stepMean, Math.abs(x - prev), warmingUp ? baselineAlpha : slowAlpha, !warmingUp,
        USUAL_STEP_FLOOR_STD * features.baselineStd),
      reversalMean: updateUsualReversals(state.reversalMean, features.flapping, historyAlpha),
      recent,
      surprise: likely.stats,
      refractory: gated.refractory,
      // A record set after warm-up by a value that is not a new extreme is part of the series' normal.
      range: updateRange(state.range, x, baseline.mean, alphaForHalfLife(config.rangeHalfLifeSamples),
        !warmingUp && features.rangeExcess === 0),
      drift: drift ? drift.state : anchorDrift(baseline.mean, baseline.variance, sample.timestampMs),
      seasonal: seasonal.state,
    },
    verdict: { score: gated.score, anomaly, warmingUp, joined: gated.joined, recovered: gated.recovered },
  };
}

function anomalyOf(
  kind: AnomalyKind, magnitude: number, f: Features, drift: DriftReading | null, surprise: number,
  seasonalZ: number | null, relatedKinds: readonly AnomalyKind[],
): Anomaly {
  return {
    kind,
    relatedKinds,
    severity: severityOf(magnitude),
    evidence: {
      zScore: f.zScore,
      departureZ: f.departureZ,
      levelShiftZ: f.levelShiftZ,
      expectedShiftZ: f.expectedShiftZ,
      slopePerSecond: f.trend.slopePerSecond,
      slopeT: f.trend.slopeT,
      baselineMean: f.baselineMean,
      baselineStd: f.baselineStd,
      recentStepStd: f.recentStepStd,
      flapFraction: f.flapping.fraction,
      flapReversals: f.flapping.reversals,
      driftShiftZ: drift?.shiftZ ?? 0,
      driftSlopePerSecond: drift?.slopePerSecond ?? 0,
      driftProgress: drift?.progress ?? 0,
      rangeExcess: f.rangeExcess,
      surprise,
      seasonalZ: seasonalZ ?? 0,
    },
  };
}

/** Convenience for tests and batch replays: runs `step` over `samples` from `state`. */
export function run(
  state: DetectorState,
  samples: readonly Sample[],
  config: ResolvedDetectorConfig,
): { state: DetectorState; verdicts: Verdict[] } {
  const verdicts: Verdict[] = [];
  let s = state;
  for (const sample of samples) {
    const r = step(s, sample, config);
    s = r.state;
    verdicts.push(r.verdict);
  }
  return { state: s, verdicts };
}

