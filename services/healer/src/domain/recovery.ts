import type { HealingAction, RecoveryCondition } from './action';
import { durationText, instantText, valueText } from './reason-text';

/** A sample of the asset's metrics; a validated `HealthSignal` fits. */
export interface MetricSample {
  readonly timestampMs: number;
  readonly metrics: Readonly<Partial<Record<string, number>>>;
}

/** `recovered`: the condition held long enough; `not_yet`: still within the window; `failed`: the window closed. */
export type RecoveryStatus = 'recovered' | 'not_yet' | 'failed';

/** The verdict on an action's recovery, with what was seen. */
export interface RecoveryEvaluation {
  readonly status: RecoveryStatus;
  readonly deadlineMs: number;
  /** Time of the sample that completed the run of good samples, when recovered. */
  readonly recoveredAtMs: number | null;
  /** Samples of the metric inside the window that were looked at. */
  readonly samplesSeen: number;
  readonly reasons: readonly string[];
}

/**
 * Judges whether an action brought its metric back. Only samples after the action started and no
 * later than its deadline count, so the verdict does not depend on when it is evaluated: once the
 * deadline has passed, asking again always gives the same answer. A relapse after recovery is not
 * this action's failure; the detector reports it as a new anomaly.
 *
 * Samples may arrive in any order; a sample without the metric is skipped, it neither breaks nor
 * extends a run.
 */
export function evaluateRecovery(
  action: Pick<HealingAction, 'startedAtMs' | 'expectedRecovery'>,
  samplesSinceAction: readonly MetricSample[],
  nowMs: number,
): RecoveryEvaluation {
  const { metric, withinMs, condition } = action.expectedRecovery;
  const deadlineMs = action.startedAtMs + withinMs;
  const windowEndMs = Math.min(nowMs, deadlineMs);
  const values = samplesSinceAction
    .filter((sample) => sample.timestampMs > action.startedAtMs && sample.timestampMs <= windowEndMs)
    .flatMap((sample) => {
      const value = sample.metrics[metric];
      return value === undefined ? [] : [{ timestampMs: sample.timestampMs, value }];
    })
    .sort((a, b) => a.timestampMs - b.timestampMs);

  const target = describeCondition(metric, condition);
  let run = 0;
  for (const { timestampMs, value } of values) {
    run = satisfies(value, condition) ? run + 1 : 0;
    if (run >= condition.sustainedSamples) {
      return { status: 'recovered', deadlineMs, recoveredAtMs: timestampMs, samplesSeen: values.length, reasons: [`${target}: held by ${instantText(timestampMs)}`] };
    }
  }
  if (nowMs < deadlineMs) {
    return { status: 'not_yet', deadlineMs, recoveredAtMs: null, samplesSeen: values.length, reasons: [`waiting for ${target}: ${durationText(deadlineMs - nowMs)} left`] };
  }
  const last = values.at(-1);
  const seen = last === undefined ? `no ${metric} sample arrived` : `last ${metric} was ${valueText(last.value)}`;
  return { status: 'failed', deadlineMs, recoveredAtMs: null, samplesSeen: values.length, reasons: [`${target} not reached within ${durationText(withinMs)} (${seen})`] };
}

function satisfies(value: number, condition: RecoveryCondition): boolean {
  return condition.op === 'at_most' ? value <= condition.threshold : value >= condition.threshold;
}

function describeCondition(metric: string, { op, threshold, sustainedSamples }: RecoveryCondition): string {
  return `${metric} ${op === 'at_most' ? '≤' : '≥'} ${valueText(threshold)} for ${sustainedSamples} samples`;
}
