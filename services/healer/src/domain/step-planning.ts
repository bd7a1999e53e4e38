import type { HealingMode } from './action';
import type { Anomaly, HealingContext } from './anomaly';
import type { HealerConfig } from './config';
import { dedupeKeyFor } from './decision';
import type { DecisionDraft, HealingDecision } from './decision';
import { findRung } from './ladder';
import { runPolicies } from './policy';
import type { PolicyResult } from './policy';
import { buildClaim } from './slot';
import type { SlotClaim } from './slot';
import { severityText } from './reason-text';

/**
 * The result of the pure phase. `final`: nothing to acquire, publish the decision. `needs_slot`:
 * the adapter runs `claim` atomically in Redis and passes the result to `settleDecision`.
 */
export type DecideResult =
  | { readonly kind: 'final'; readonly decision: HealingDecision }
  | { readonly kind: 'needs_slot'; readonly claim: SlotClaim; readonly draft: DecisionDraft };

/** Where on which ladder to look, and why we are looking. Shared by `decide` and `escalate`. */
export interface StepRequest {
  readonly anomaly: Anomaly;
  readonly ctx: HealingContext;
  readonly config: HealerConfig;
  readonly ladder: readonly string[];
  readonly fromStep: number;
  readonly mode: HealingMode;
  readonly nowMs: number;
  /** Set when escalating: the step that failed. */
  readonly escalatedFrom: HealingDecision['escalatedFrom'];
  /** Reasons gathered before the ladder walk (band choice, failed recovery). */
  readonly reasons: readonly string[];
}

/**
 * Walks the ladder from `fromStep`, plans the first usable rung and runs the policy hooks on it.
 * Nothing found is `no_strategy` for a first decision and `exhausted` for an escalation.
 */
export function planStep(request: StepRequest): DecideResult {
  const { anomaly, ctx, config, ladder, fromStep, mode, nowMs, escalatedFrom } = request;
  const search = findRung(ladder, fromStep, {
    anomaly,
    history: ctx.history,
    strategies: config.strategies,
    recentFailureWindowMs: config.settings.recentFailureWindowMs,
    nowMs,
  });
  const reasons = [...request.reasons, ...search.skipped];
  const base = {
    anomalyId: anomaly.anomalyId,
    assetId: anomaly.assetId,
    mode,
    ladder,
    policyResults: [],
    suppression: null,
    escalatedFrom,
    decidedAtMs: nowMs,
  } as const;
  const empty = { strategy: null, params: null, expectedRecovery: null, proposed: null, overridden: false } as const;

  if (search.rung === undefined) {
    const outcome = escalatedFrom === null ? 'no_strategy' : 'exhausted';
    const step = escalatedFrom === null ? fromStep : ladder.length;
    const why = escalatedFrom === null ? 'no rung of the ladder applies: nothing to do' : `ladder exhausted after step ${escalatedFrom.step} (${escalatedFrom.strategy}): escalate to a human`;
    return { kind: 'final', decision: { ...base, ...empty, dedupeKey: dedupeKeyFor(anomaly.anomalyId, step), outcome, step, reasons: [...reasons, why] } };
  }

  const { step, strategy } = search.rung;
  const dedupeKey = dedupeKeyFor(anomaly.anomalyId, step);
  const proposedSpec = strategy.plan({ anomaly, asset: ctx.asset, history: ctx.history, nowMs });
  const proposed = { strategy: proposedSpec.strategy, params: proposedSpec.params };
  reasons.push(`step ${step} (${strategy.name}) chosen for ${anomaly.kind} on ${anomaly.metric}, severity ${severityText(anomaly.severity)}`);

  const policy = runPolicies(
    config.policies,
    proposedSpec,
    { anomaly, asset: ctx.asset, history: ctx.history, step, escalation: escalatedFrom !== null, mode, nowMs },
    config.strategies,
  );
  reasons.push(...policy.results.filter((result) => result.verdict !== 'allow' || result.reasons.length > 0).map(describePolicyResult));

  if (!policy.allowed) {
    return {
      kind: 'final',
      decision: { ...base, ...empty, dedupeKey, outcome: 'denied_policy', step, proposed, policyResults: policy.results, reasons: [...reasons, 'denied by policy: no action, and no further rung is tried'] },
    };
  }
  const { spec } = policy;
  const overridden = spec.strategy !== proposed.strategy || JSON.stringify(spec.params) !== JSON.stringify(proposed.params);
  const draft: DecisionDraft = {
    ...base,
    dedupeKey,
    step,
    strategy: spec.strategy,
    params: spec.params,
    expectedRecovery: spec.expectedRecovery,
    proposed,
    overridden,
    policyResults: policy.results,
    reasons,
  };
  const claim = buildClaim(draft, ctx.asset, config.settings, escalatedFrom === null ? null : { supersedes: escalatedFrom.dedupeKey });
  return { kind: 'needs_slot', claim, draft };
}

function describePolicyResult(result: PolicyResult): string {
  const change = result.before !== undefined && result.after !== undefined ? ` (${result.before.strategy} → ${result.after.strategy})` : '';
  const why = result.reasons.length > 0 ? `: ${result.reasons.join('; ')}` : '';
  return `policy ${result.hook} ${result.verdict}${change}${why}`;
}
