/**
 * Refusals are values: the planner declines with a code, human-readable reasons that carry the
 * numbers, and structured details a caller can act on. Nothing here throws.
 */
import type { StepId } from './graph';

/** Every refusal code, and whether retrying with the same input could ever succeed. */
export const REFUSAL_CODES = {
  invalid_input: { canRetry: false },
  duplicate_step: { canRetry: false },
  unknown_dependency: { canRetry: false },
  cycle: { canRetry: false },
  missing_premise: { canRetry: false },
  budget_exhausted: { canRetry: false },
  deadline_infeasible: { canRetry: false },
  contradictory_constraints: { canRetry: false },
  unrecoverable_failure: { canRetry: false },
} as const;

/** A refusal code. */
export type RefusalCode = keyof typeof REFUSAL_CODES;

/** One step no allowed executor can run, and why. */
export interface MissingPremise {
  readonly stepId: StepId;
  readonly capabilities: readonly string[];
  readonly minTrust: number;
  /** Per allowed executor, what it lacks. */
  readonly rejections: readonly { readonly executorId: string; readonly lacks: string }[];
}

/** The structured part of each kind of refusal. */
export type Refusal =
  | RefusalOf<'invalid_input', { readonly fields: readonly string[] }>
  | RefusalOf<'duplicate_step', { readonly stepIds: readonly StepId[] }>
  | RefusalOf<'unknown_dependency', { readonly edges: readonly { from: StepId; to: StepId; unknown: StepId }[] }>
  | RefusalOf<'cycle', { readonly cycle: readonly StepId[] }>
  | RefusalOf<'missing_premise', { readonly steps: readonly MissingPremise[] }>
  | RefusalOf<'budget_exhausted', {
    readonly resource: 'cost' | 'tokens';
    readonly minimum: number;
    readonly budget: number;
  }>
  | RefusalOf<'deadline_infeasible', {
    readonly criticalPathMs: number;
    readonly bestMakespanMs: number | null;
    readonly deadlineMs: number;
    readonly criticalPath: readonly StepId[];
  }>
  | RefusalOf<'contradictory_constraints', Readonly<Record<string, number | string | null>>>
  | RefusalOf<'unrecoverable_failure', { readonly stepIds: readonly StepId[] }>;

interface RefusalOf<C extends RefusalCode, D> {
  readonly code: C;
  /** Each reason says why, with the numbers. */
  readonly reasons: readonly string[];
  readonly details: D;
}

/** Either a value or a refusal. */
export type Outcome<T> = { readonly ok: true; readonly plan: T } | { readonly ok: false; readonly refusal: Refusal };

/** Wraps a successful value. */
export function accept<T>(plan: T): Outcome<T> {
  return { ok: true, plan };
}

/** Wraps a refusal. */
export function refuse<T>(refusal: Refusal): Outcome<T> {
  return { ok: false, refusal };
}

/** Formats a number for a reason: integers as-is, others to 3 significant decimals. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
