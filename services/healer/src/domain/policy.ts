import type { ActionChoice, ActionParams, ActionSpec, HealingMode } from './action';
import type { Anomaly, AssetInfo, Intervention } from './anomaly';
import type { ResponseStrategy, StrategyContext } from './strategy';

/** What a policy hook sees: the anomaly, the asset, and the action proposed so far. */
export interface PolicyContext {
  readonly anomaly: Anomaly;
  readonly asset: AssetInfo;
  readonly history: readonly Intervention[];
  /** The current proposal: the healer's choice, or an earlier hook's modification of it. */
  readonly proposal: ActionChoice;
  readonly step: number;
  /** True when the proposal escalates after an earlier step failed. */
  readonly escalation: boolean;
  readonly mode: HealingMode;
  readonly nowMs: number;
}

/** A hook's answer. `deny` and `modify` must say why: the reasons go into the audit record. */
export type PolicyVerdict =
  | { readonly verdict: 'allow'; readonly reasons?: readonly string[] }
  | { readonly verdict: 'deny'; readonly reasons: readonly string[] }
  | {
      readonly verdict: 'modify';
      /** Another registered strategy; its own plan supplies params and expected recovery. */
      readonly strategy?: string;
      /** Merged over the (re)planned params, so a hook can change one param without restating all. */
      readonly params?: ActionParams;
      readonly reasons: readonly string[];
    };

/**
 * Business, compliance or safety rules applied to every proposed action. Synchronous and pure: a
 * hook that needs data (a change-freeze calendar, an OPA bundle) gets it from the adapter at
 * construction or through the context, so a decision can be replayed.
 */
export interface PolicyHook {
  readonly name: string;
  evaluate(ctx: PolicyContext): PolicyVerdict;
}

/** What one hook did, for the audit record; `before`/`after` are set when it changed the action. */
export interface PolicyResult {
  readonly hook: string;
  /** `error`: the hook threw or named an unknown strategy; treated as a deny (fail closed). */
  readonly verdict: 'allow' | 'deny' | 'modify' | 'error';
  readonly reasons: readonly string[];
  readonly before?: ActionChoice;
  readonly after?: ActionChoice;
}

/** The combined effect of all hooks on one proposal. */
export type PolicyOutcome =
  | { readonly allowed: true; readonly spec: ActionSpec; readonly results: readonly PolicyResult[] }
  | { readonly allowed: false; readonly results: readonly PolicyResult[] };

/**
 * Runs the hooks in order. Each sees the proposal as left by the hooks before it; the first deny
 * (or error) stops the run, because later hooks could only allow something already refused.
 */
export function runPolicies(
  hooks: readonly PolicyHook[],
  proposed: ActionSpec,
  base: Omit<PolicyContext, 'proposal'>,
  strategies: ReadonlyMap<string, ResponseStrategy>,
): PolicyOutcome {
  const results: PolicyResult[] = [];
  let spec = proposed;
  const planCtx: StrategyContext = { anomaly: base.anomaly, asset: base.asset, history: base.history, nowMs: base.nowMs };
  for (const hook of hooks) {
    let verdict: PolicyVerdict;
    try {
      verdict = hook.evaluate({ ...base, proposal: { strategy: spec.strategy, params: spec.params } });
    } catch (error: unknown) {
      // A broken hook must not let an action through unchecked; it is recorded, not swallowed.
      const message = error instanceof Error ? error.message : String(error);
      results.push({ hook: hook.name, verdict: 'error', reasons: [`hook threw: ${message}`] });
      return { allowed: false, results };
    }
    if (verdict.verdict === 'allow') {
      results.push({ hook: hook.name, verdict: 'allow', reasons: verdict.reasons ?? [] });
    } else if (verdict.verdict === 'deny') {
      results.push({ hook: hook.name, verdict: 'deny', reasons: verdict.reasons });
      return { allowed: false, results };
    } else {
      const before = { strategy: spec.strategy, params: spec.params };
      const target = verdict.strategy === undefined ? undefined : strategies.get(verdict.strategy);
      if (verdict.strategy !== undefined && target === undefined) {
        results.push({ hook: hook.name, verdict: 'error', reasons: [...verdict.reasons, `asked for unknown strategy "${verdict.strategy}"`], before });
        return { allowed: false, results };
      }
      // A changed strategy is planned afresh: its params and expected recovery are its own.
      const replanned = target === undefined || target.name === spec.strategy ? spec : target.plan(planCtx);
      spec = { ...replanned, params: { ...replanned.params, ...verdict.params } };
      results.push({ hook: hook.name, verdict: 'modify', reasons: verdict.reasons, before, after: { strategy: spec.strategy, params: spec.params } });
    }
  }
  return { allowed: true, spec, results };
}
