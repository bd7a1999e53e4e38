import type { HealingAction } from './action';
import type { MetricSample, RecoveryEvaluation } from './recovery';
import { durationText, instantText } from './reason-text';

/** An executor's report on an action (a `healing.results` record), as the healer reads it. */
export interface ExecutorReport {
  readonly actionId: string;
  /** `unknown`: the executor died while running it, and its runner is not run twice. */
  readonly status: 'succeeded' | 'failed' | 'unknown';
  readonly finishedAtMs: number;
  readonly detail: string;
}

/** What a report does to a tracked action: escalate now, or keep watching with the check restarted. */
export type ReportVerdict =
  | { readonly kind: 'escalate'; readonly evaluation: RecoveryEvaluation }
  | { readonly kind: 'watch'; readonly action: HealingAction; readonly samples: readonly MetricSample[]; readonly reason: string };

/**
 * The healer's reading of an executor's report, pure:
 * - `failed`: the action never took effect, so waiting for the metric is pointless: escalate to
 *   the next rung now, with the executor's words as the reason;
 * - `succeeded`: the action took effect when the executor finished, which may be well after the
 *   decision (a runbook, a retried webhook). The recovery check restarts from then, with the
 *   strategy's whole window, and samples from before it no longer count: they say nothing about the
 *   action's effect;
 * - `unknown`: it may or may not have happened; the metric decides, as after a success.
 */
export function judgeReport(action: HealingAction, samples: readonly MetricSample[], report: ExecutorReport): ReportVerdict {
  const { metric, withinMs } = action.expectedRecovery;
  if (report.status === 'failed') {
    return {
      kind: 'escalate',
      evaluation: {
        status: 'failed', deadlineMs: action.startedAtMs + withinMs, recoveredAtMs: null, samplesSeen: samples.length,
        reasons: [`the executor could not carry it out: ${report.detail || 'no detail'}`],
      },
    };
  }
  const startedAtMs = Math.max(action.startedAtMs, report.finishedAtMs);
  const why = report.status === 'succeeded' ? 'the executor carried it out' : `its outcome is unknown (${report.detail || 'no detail'}); the metric decides`;
  return {
    kind: 'watch',
    action: { ...action, startedAtMs },
    samples: samples.filter((s) => s.timestampMs > startedAtMs),
    reason: `${why}: recovery of ${metric} is checked for ${durationText(withinMs)} from ${instantText(startedAtMs)}`,
  };
}
