/**
 * Flapping: a regime of large steps that keep reversing direction (a value bouncing between two
 * levels every sample or every other sample). Each step can be too small to be a spike on its own,
 * but a run of large reversals is something white noise and single spikes almost never produce.
 *
 * "Large" is measured against the usual step size from *before* the regime (the caller keeps that
 * reference from learning large steps): against a step mean that learnt the flapping itself, the
 * flapping would stop looking large after a few samples.
 */

/** Flapping in the recent window. */
export interface Flapping {
  /** Reversals between successive large steps that are at most {@link FLAP_TUNING.maxGap} apart. */
  readonly reversals: number;
  /** Reversals per step pair in the window (1 = a reversal at every sample). */
  readonly fraction: number;
  /** Mean size of the large steps in value units (twice the flapping amplitude); 0 if none. */
  readonly meanLargeStep: number;
}

/** Tuning of the flapping test. */
export const FLAP_TUNING = {
  /** A step is large above this many usual steps. */
  largeStepRatio: 3,
  /** Two large steps belong to one regime only when at most this many samples apart. */
  maxGap: 2,
  /** Reversals that make a regime: a spike is one, two spikes a few samples apart are two. */
  minReversals: 3,
};

/**
 * Counts reversals between successive large steps in `values` (oldest first), where a step is large
 * above `largeStepRatio * usualStep`. Steps in between that are small (the flat half of a period-2
 * square wave) are skipped, so flapping every sample and every other sample both count.
 */
export function flappingOf(values: readonly number[], usualStep: number): Flapping {
  const large = FLAP_TUNING.largeStepRatio * usualStep;
  let reversals = 0;
  let largeSum = 0;
  let largeCount = 0;
  let lastStep = 0;
  let lastAt = -Infinity;
  for (let i = 1; i < values.length; i++) {
    const step = (values[i] as number) - (values[i - 1] as number);
    if (!(Math.abs(step) > large)) continue;
    if (i - lastAt <= FLAP_TUNING.maxGap && (step > 0) !== (lastStep > 0)) reversals++;
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
  return f.reversals >= FLAP_TUNING.minReversals;
}

/**
 * Score of a flapping regime in [0.5, 1): 0.5 at the minimum number of reversals, rising as the
 * regime persists (on the same scale as the likelihood: 0.5 is a tail probability of 1e-5). 0 when
 * the window does not flap.
 */
export function flappingScore(f: Flapping): number {
  if (!isFlapping(f)) return 0;
  return 1 - 0.5 * Math.exp(-(f.reversals - FLAP_TUNING.minReversals) / FLAP_TUNING.minReversals);
}

/**
 * Folds one absolute step into the usual step size. With `limitLarge`, a step is first limited to
 * what {@link flappingOf} calls large, so a flapping regime raises the usual step only slowly (by
 * a bounded amount per sample) and stays "large" long enough to be reported, while a lasting rise
 * in noise is still learnt. `floor` keeps that limit above 0 on a series that was flat until now.
 */
export function updateUsualStep(usualStep: number, absStep: number, alpha: number, limitLarge: boolean, floor: number): number {
  const step = limitLarge ? Math.min(absStep, FLAP_TUNING.largeStepRatio * Math.max(usualStep, floor)) : absStep;
  return usualStep + alpha * (step - usualStep);
}
