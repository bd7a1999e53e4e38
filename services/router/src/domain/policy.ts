/**
 * Policy hooks: compliance, governance and business rules evaluated inline for every candidate that
 * passed the hard filters. Hooks are pure functions of their context; the router may evaluate a hook
 * more than once for the same candidate (to explain the chosen asset) and relies on the same answer.
 */
import type { AssetCandidate } from './candidate';
import type { JobRequest } from './job';

/** What a hook decides about one candidate. */
export type PolicyVerdict = 'allow' | 'deny' | 'adjust';

/** A hook's answer. `scoreDelta` is only applied when the verdict is `adjust`. */
export interface PolicyResult {
  readonly verdict: PolicyVerdict;
  readonly reasons: readonly string[];
  readonly scoreDelta?: number;
}

/**
 * Everything a hook may look at. Valid only for the duration of the call: the router reuses one
 * context object across candidates, so a hook must copy what it wants to keep.
 */
export interface PolicyContext {
  readonly job: JobRequest;
  readonly candidate: AssetCandidate;
  /** Weighted total before policy adjustments. */
  readonly baseScore: number;
  readonly nowMs: number;
}

/** A named, pure policy rule. */
export interface PolicyHook {
  readonly name: string;
  evaluate(ctx: PolicyContext): PolicyResult;
}

/** A hook result as recorded in a decision. */
export interface PolicyRecord extends PolicyResult {
  readonly hook: string;
  readonly assetId: string;
}

/** Returned by {@link runHooks} when any hook denied the candidate. */
export const DENIED = Number.NEGATIVE_INFINITY;

/**
 * Runs every hook on one candidate and returns the summed `scoreDelta` of its adjusts, or
 * {@link DENIED}. Every deny and adjust is appended to `records` (allows only when `recordAllows`).
 * Returning a number rather than an outcome object keeps 10,000 evaluations allocation-free when
 * hooks answer with shared constants.
 *
 * A hook that throws, or adjusts by a non-finite delta, denies: policy exists to keep jobs off
 * assets, so a broken rule must fail closed rather than wave work through.
 */
export function runHooks(hooks: readonly PolicyHook[], ctx: PolicyContext, records: PolicyRecord[], recordAllows: boolean): number {
  let denied = false;
  let delta = 0;
  for (const hook of hooks) {
    let result: PolicyResult;
    try {
      result = hook.evaluate(ctx);
      if (result.verdict === 'adjust' && !Number.isFinite(result.scoreDelta ?? 0)) {
        result = { verdict: 'deny', reasons: [...result.reasons, `non-finite scoreDelta ${String(result.scoreDelta)}`] };
      }
    } catch (err: unknown) {
      result = { verdict: 'deny', reasons: [`hook failed: ${err instanceof Error ? err.message : String(err)}`] };
    }
    if (result.verdict === 'deny') denied = true;
    else if (result.verdict === 'adjust') delta += result.scoreDelta ?? 0;
    if (result.verdict !== 'allow' || recordAllows) {
      const record: PolicyRecord = result.scoreDelta === undefined
        ? { hook: hook.name, assetId: ctx.candidate.assetId, verdict: result.verdict, reasons: result.reasons }
        : { hook: hook.name, assetId: ctx.candidate.assetId, verdict: result.verdict, reasons: result.reasons, scoreDelta: result.scoreDelta };
      records.push(record);
    }
  }
  return denied ? DENIED : delta;
}
