/**
 * A summary of an execution for `query.goals`, dashboards and the adapter's timers: how many steps
 * are in each status, what has been spent, and when the next thing happens without any report.
 */
import type { ExecutionState, ExecutionStatus, StepStatus } from './execution-state';
import { waitingOf } from './readiness';

/** Counts and totals of an execution at `nowMs`. */
export interface ExecutionSummary {
  readonly planId: string;
  readonly status: ExecutionStatus;
  readonly complete: boolean;
  /** Every step record, compensations and compensated steps included. */
  readonly counts: Readonly<Record<StepStatus, number>>;
  readonly stepCount: number;
  readonly attempts: number;
  readonly failures: number;
  readonly leaseExpiries: number;
  readonly actualCost: number;
  /** Sum of reported durations: work time, not wall time. */
  readonly actualWorkMs: number;
  readonly elapsedMs: number;
  /** When a lease will expire: call `expireLeases` then. */
  readonly nextLeaseExpiryAtMs: number | null;
  /** When a retry backoff ends and a step becomes dispatchable. */
  readonly nextReleaseAtMs: number | null;
  readonly deadlineAtMs: number | null;
  readonly deadlineAtRisk: boolean;
}

/** Summarises the execution. */
export function summarize(state: ExecutionState, nowMs: number): ExecutionSummary {
  const counts: Record<StepStatus, number> = { pending: 0, ready: 0, leased: 0, succeeded: 0, failed: 0, compensating: 0, compensated: 0, cancelled: 0 };
  let attempts = 0;
  let failures = 0;
  let leaseExpiries = 0;
  let actualCost = 0;
  let actualWorkMs = 0;
  for (const s of state.steps) {
    counts[s.status]++;
    attempts += s.attempts;
    failures += s.failures;
    leaseExpiries += s.history.filter((h) => h.kind === 'lease_expired').length;
    actualCost += s.actualCost;
    actualWorkMs += s.actualDurationMs;
  }
  const waiting = waitingOf(state, nowMs);
  return {
    planId: state.planId,
    status: state.status,
    complete: state.status === 'completed',
    counts,
    stepCount: state.steps.length,
    attempts,
    failures,
    leaseExpiries,
    actualCost,
    actualWorkMs,
    elapsedMs: (state.completedAtMs ?? nowMs) - state.startedAtMs,
    nextLeaseExpiryAtMs: waiting.nextLeaseExpiryAtMs,
    nextReleaseAtMs: waiting.nextReleaseAtMs,
    deadlineAtMs: state.deadlineAtMs,
    deadlineAtRisk: state.deadlineAtRisk,
  };
}
