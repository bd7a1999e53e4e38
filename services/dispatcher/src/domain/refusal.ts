/**
 * The dispatcher's refusals: a code from one catalog, reasons with the numbers, and JSON details a
 * caller can act on. Like the planner's, they are values; nothing in the domain throws for them.
 */

/** Every refusal code, and whether the same request could succeed later without changing it. */
export const DISPATCH_REFUSAL_CODES = {
  invalid_plan: { canRetry: false },
  invalid_request: { canRetry: false },
  /** Nothing is ready now; steps may become ready when leases end or backoffs pass. */
  no_ready_step: { canRetry: true },
  executor_not_allowed: { canRetry: false },
  /** Steps are ready but this executor lacks the trust or capabilities for every one of them. */
  executor_ineligible: { canRetry: true },
  /** A step failed for good; nothing new is dispatched until the planner's re-plan is applied. */
  replan_pending: { canRetry: true },
  plan_complete: { canRetry: false },
  plan_cancelled: { canRetry: false },
  unknown_work_order: { canRetry: false },
  /** The work order's lease expired and the step was handed out again (or finished meanwhile). */
  stale_work_order: { canRetry: false },
  /** A second report for the same work order disagrees with the first one. */
  conflicting_outcome: { canRetry: false },
} as const;

/** A refusal code. */
export type DispatchRefusalCode = keyof typeof DISPATCH_REFUSAL_CODES;

/** A JSON value: refusals and events are published as JSON audit details. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Why a request was declined. */
export interface DispatchRefusal {
  readonly code: DispatchRefusalCode;
  /** Each reason says why, with the numbers. */
  readonly reasons: readonly string[];
  readonly details: { readonly [key: string]: Json };
}

/** Builds a refusal. */
export function refusal(code: DispatchRefusalCode, reasons: readonly string[], details: DispatchRefusal['details'] = {}): DispatchRefusal {
  return { code, reasons, details };
}
