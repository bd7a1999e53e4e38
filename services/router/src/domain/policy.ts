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

/** Everything a hook may look at. Valid only for the duration of the call. */
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

/** The combined effect of all hooks on one candidate. */
export interface PolicyOutcome {
  readonly denied: boolean;
  readonly delta: number;
  /** Results worth recording: every deny and adjust (allows are recorded only for reported assets). */
  readonly notable: PolicyRecord[] | null;
}

const ALLOW_ALL: PolicyOutcome = Object.freeze({ denied: false, delta: 0, notable: null });

/**
 * Runs every hook on one candidate. A hook that throws, or adjusts by a non-finite delta, denies:
 * policy exists to keep jobs off assets, so a broken rule must fail closed rather than wave work through.
 */
export function evaluatePolicies(hooks: readonly PolicyHook[], ctx: PolicyContext, recordAllows: boolean): PolicyOutcome {
  if (hooks.length === 0) return ALLOW_ALL;
  let denied = false;
  let delta = 0;
  let notable: PolicyRecord[] | null = null;
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
    if (result.verdict !== 'allow' || recordAllows) (notable ??= []).push({ hook: hook.name, assetId: ctx.candidate.assetId, ...result });
  }
  return { denied, delta, notable };
}
