import type { ActionChoice, ActionParams, ExpectedRecovery, HealingMode } from './action';
import type { PolicyResult } from './policy';

/**
 * What became of an anomaly (or of an escalation step):
 * - `execute`: act now; `escalated`: act now, as the next rung after a failed one;
 * - `dry_run`: would act, but the healer runs in dry-run mode (never held back by a cooldown or
 *   cap, since dry-run actions never ran; `wouldSuppress` says what live mode would have done);
 * - `suppressed_cooldown` / `suppressed_cap`: would act, but the asset is cooling down or too many
 *   actions are in flight;
 * - `suppressed_duplicate`: this anomaly and step were already decided (a redelivery);
 * - `denied_policy`: a policy hook refused;
 * - `no_strategy`: no ladder rung applies; `exhausted`: every rung was tried and recovery never came.
 */
export const DECISION_OUTCOMES = [
  'execute',
  'escalated',
  'dry_run',
  'suppressed_cooldown',
  'suppressed_cap',
  'suppressed_duplicate',
  'denied_policy',
  'no_strategy',
  'exhausted',
] as const;

/** See `DECISION_OUTCOMES`. */
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Why an otherwise allowed action was held back, with the numbers an operator needs. */
export type Suppression =
  | { readonly kind: 'cooldown'; readonly remainingMs: number }
  | { readonly kind: 'cap'; readonly scope: string; readonly inFlight: number; readonly limit: number }
  | { readonly kind: 'duplicate' };

/** A healing decision: the audit record the adapter publishes, whatever the outcome. */
export interface HealingDecision {
  /** `anomalyId#step`: the same anomaly and step always give the same key, so a redelivery acts at most once. */
  readonly dedupeKey: string;
  readonly anomalyId: string;
  readonly assetId: string;
  readonly outcome: DecisionOutcome;
  readonly mode: HealingMode;
  /** The resolved ladder for this anomaly; empty when no band applied. */
  readonly ladder: readonly string[];
  /** Ladder position the decision is about; null when no band applied. */
  readonly step: number | null;
  /** The action as finally chosen (after policies); null when there is none. */
  readonly strategy: string | null;
  readonly params: ActionParams | null;
  readonly expectedRecovery: ExpectedRecovery | null;
  /** The healer's own choice before policy hooks; differs from `strategy`/`params` when `overridden`. */
  readonly proposed: ActionChoice | null;
  readonly overridden: boolean;
  readonly policyResults: readonly PolicyResult[];
  readonly suppression: Suppression | null;
  /** A dry run only: the cooldown or cap that would have held the action back in live mode. */
  readonly wouldSuppress?: Suppression;
  readonly escalatedFrom: { readonly step: number; readonly strategy: string; readonly dedupeKey: string } | null;
  /** Human-readable, in the order the healer reasoned. */
  readonly reasons: readonly string[];
  readonly decidedAtMs: number;
}

/** A decision that only waits for the slot acquisition: everything but the outcome is known. */
export interface DecisionDraft extends Omit<HealingDecision, 'outcome' | 'suppression' | 'step' | 'strategy' | 'params' | 'expectedRecovery'> {
  readonly step: number;
  readonly strategy: string;
  readonly params: ActionParams;
  readonly expectedRecovery: ExpectedRecovery;
}

/** The dedupe key of an anomaly at a ladder step. */
export function dedupeKeyFor(anomalyId: string, step: number): string {
  return `${anomalyId}#${step}`;
}

/** True when the adapter must carry the action out (`execute`, `escalated`). */
export function isActionable(decision: Pick<HealingDecision, 'outcome'>): boolean {
  return decision.outcome === 'execute' || decision.outcome === 'escalated';
}

/** True when the action must be tracked for recovery: actionable, or a dry run (which shadows the ladder). */
export function isTracked(decision: Pick<HealingDecision, 'outcome'>): boolean {
  return isActionable(decision) || decision.outcome === 'dry_run';
}

/**
 * A dry-run decision says so whatever its outcome (a refusal, a duplicate, an exhausted ladder), so
 * that no one reading the audit takes it for something live mode did. `dry_run` outcomes already do.
 */
export function stateMode(decision: HealingDecision): HealingDecision {
  if (decision.mode !== 'dry_run' || decision.reasons.some((r) => r.startsWith('dry-run mode'))) return decision;
  return { ...decision, reasons: [...decision.reasons, 'dry-run mode: nothing is executed in this mode'] };
}
