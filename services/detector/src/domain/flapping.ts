/**
 * Flapping: a regime of large steps that keep reversing direction (a value bouncing between two
 * levels every sample or every other sample). Each step can be too small to be a spike on its own,
 * but a run of large reversals is something white noise and single spikes almost never produce.
 *
 * "Large" is measured against the usual step size from *before* the regime: the usual step learns
 * large steps only in limited portions and slowly (see {@link updateUsualStep}); against a step
 * mean that learnt the flapping, the flapping would stop looking large after a few samples.
 * Whether that much flapping is anomalous is then judged against how much this series usually
 * flaps (see {@link flappingTail}), as the likelihood stage does for surprise.
 */

/** Flapping in the recent window. */
export interface Flapping {
  /** Reversals between successive large steps at most two samples apart. */
  readonly reversals: number;
  /** Reversals per step pair in the window (1 = a reversal at every sample). */
  readonly fraction: number;
  /** Mean size of the large steps in value units (twice the flapping amplitude); 0 if none. */
  readonly meanLargeStep: number;
}

// A step is large above 3.5 usual steps (about 4 stddevs of white noise: 1 step in 190, so four
// alternating ones in a row come about once in a million samples) and above 2 baseline stddevs (a
// series whose usual step is tiny, flat between bursts, does not flap at every wobble of a burst).
const LARGE_STEP_RATIO = 3.5;
const LARGE_STEP_STD = 2;
// Two large steps belong to one regime only when at most 2 samples apart: flapping every sample or
// every other sample; two spikes a few samples apart are two events, not a regime.
const MAX_GAP_SAMPLES = 2;
// A spike is one reversal; three (four alternating large steps) is a regime. Period-1 flapping
// gets there on its 4th sample, period 2 on about its 8th.
const MIN_REVERSALS = 3;
// Below this the long-run reversal count is not trusted: a series that never flapped would
// otherwise make the first flapping a certainty of anomaly whatever its length.
const MIN_USUAL_REVERSALS = 0.02;

/**
 * Counts reversals between successive large steps in `values` (oldest first). Small steps in
 * between (the flat half of a period-2 square wave) are skipped, so flapping every sample and every
 * other sample both count. `usualStep` and `spread` (the baseline stddev) define "large".
 */
export function flappingOf(values: readonly number[], usualStep: number, spread: number): Flapping {
  const large = Math.max(LARGE_STEP_RATIO * usualStep, LARGE_STEP_STD * spread);
  let reversals = 0;
  let largeSum = 0;
  let largeCount = 0;
  let lastStep = 0;
  let lastAt = -Infinity;
  for (let i = 1; i < values.length; i++) {
    const step = (values[i] as number) - (values[i - 1] as number);
    if (!(Math.abs(step) > large)) continue;
    if (i - lastAt <= MAX_GAP_SAMPLES && (step > 0) !== (lastStep > 0)) reversals++;
    largeSum += Math.abs(step);
    largeCount++;
    lastStep = step;
    lastAt = i;
  }
  return {
    reversals,
    fraction: values.length < 3 ? 0 : reversals / (values.length - 2),
    meanLargeStep: largeCount > 0 ? largeSum / largeCount : 0,
  };
}

/** Whether the window holds a flapping regime. */
export function isFlapping(f: Flapping): boolean {
  return f.reversals >= MIN_REVERSALS;
}

/**
 * Probability that a Poisson count with mean `mean` reaches `count`, summed from the upper terms so
 * it stays accurate when the tail is tiny (where the score lives).
 */
export function poissonTail(count: number, mean: number): number {
  let term = Math.exp(-mean);
  for (let j = 1; j <= count; j++) term *= mean / j;
  let sum = 0;
  for (let j = count; term > sum * 1e-12 && j < count + 200; j++) {
    sum += term;
    term *= mean / (j + 1);
  }
  return Math.min(1, sum);
}

/**
 * Tail probability of the window's reversals given the series' long-run mean reversal count
 * (`usualReversals`): flapping is anomalous only on a series that does not usually flap; a bursty
 * series reverses all the time, and that is its normal. 1 when the window does not flap.
 */
export function flappingTail(f: Flapping, usualReversals: number): number {
  if (!isFlapping(f)) return 1;
  return poissonTail(f.reversals, Math.max(usualReversals, MIN_USUAL_REVERSALS));
}

/** Folds the window's reversal count into its long-run mean, at smoothing factor `alpha`. */
export function updateUsualReversals(usualReversals: number, f: Flapping, alpha: number): number {
  return usualReversals + alpha * (f.reversals - usualReversals);
}

/**
 * Folds one absolute step into the usual step size. With `limitLarge`, the step is first limited to
 * what {@link flappingOf} calls large (3.5 usual steps), so flapping raises the usual
 * step by a bounded amount per sample and stays "large" long enough to be reported, while a lasting
 * rise in noise is still learnt. `floor` keeps that limit above 0 on a series that was flat so far.
 */
export function updateUsualStep(usualStep: number, absStep: number, alpha: number, limitLarge: boolean, floor: number): number {
  const step = limitLarge ? Math.min(absStep, LARGE_STEP_RATIO * Math.max(usualStep, floor)) : absStep;
  return usualStep + alpha * (step - usualStep);
}
