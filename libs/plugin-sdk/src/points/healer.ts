/**
 * The healer's extension points: response strategies (a way to heal) and policy hooks (a rule every
 * proposed action must pass). Both run inside the healer's pure decision, so both answer
 * synchronously from their arguments: a decision can then be replayed from its audit record. A hook
 * that needs outside data (a change calendar, an OPA bundle) keeps it fresh itself (a timer in the
 * plugin module) and reads its copy when called.
 */
import type { JsonValue } from './json';

/** Strategy-specific parameters of an action; they travel to the executor's runner. */
export type ActionParams = Readonly<Record<string, JsonValue>>;

/** The anomaly the healer is answering. */
export interface HealerAnomaly {
  readonly anomalyId: string;
  readonly assetId: string;
  /** Canonical metric name, e.g. `latency_ms`. */
  readonly metric: string;
  /** `spike`, `drop`, `drift` or `oscillation`. */
  readonly kind: string;
  /** How bad, in [0, 1]. */
  readonly severity: number;
  readonly evidence: { readonly zScore: number; readonly baselineMean: number; readonly baselineStd: number };
  readonly detectedAtMs: number;
  readonly tenant?: string | null;
}

/** What the healer knows about the asset (from its telemetry). */
export interface HealerAsset {
  readonly assetId: string;
  readonly region?: string;
  readonly provider?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** An earlier intervention on the asset. */
export interface HealerIntervention {
  readonly dedupeKey: string;
  readonly anomalyId: string;
  readonly strategy: string;
  readonly metric: string;
  readonly startedAtMs: number;
  readonly result: 'in_progress' | 'recovered' | 'failed';
}

/** When the metric counts as recovered after the action. */
export interface ExpectedRecovery {
  readonly metric: string;
  readonly withinMs: number;
  readonly condition: { readonly op: 'at_most' | 'at_least'; readonly threshold: number; readonly sustainedSamples: number };
}

/** What a strategy plans; the executor's runner for `strategy` carries it out. */
export interface ActionPlan {
  readonly strategy: string;
  readonly params: ActionParams;
  readonly expectedRecovery: ExpectedRecovery;
}

/** What a strategy sees when it plans. */
export interface StrategyContext {
  readonly anomaly: HealerAnomaly;
  readonly asset: HealerAsset;
  readonly history: readonly HealerIntervention[];
  readonly nowMs: number;
}

/** Where in the healer's ladders a plugin strategy goes: first (tried before the built-ins) or before the closing runbook. */
export type LadderPlacement = 'first' | 'before_runbook';

/** A way to heal. */
export interface ResponseStrategy {
  /** Unique among all strategies (built-in ones are throttle, rebalance, restart, failover, runbook). */
  readonly name: string;
  /**
   * The anomaly kinds whose ladders get this strategy, and where. Without it the strategy is only
   * reachable through a policy hook's `modify` verdict. @default {}
   */
  readonly ladders?: Readonly<Partial<Record<'spike' | 'drop' | 'drift' | 'oscillation', LadderPlacement>>>;
  /** Whether the strategy makes sense for this kind and severity; a ladder rung is skipped if not. */
  appliesTo(kind: string, severity: number): boolean;
  plan(ctx: StrategyContext): ActionPlan;
}

/** What a healer policy hook sees: the anomaly, the asset and the action proposed so far. */
export interface HealerPolicyContext {
  readonly anomaly: HealerAnomaly;
  readonly asset: HealerAsset;
  readonly history: readonly HealerIntervention[];
  /** The healer's choice, or an earlier hook's modification of it. */
  readonly proposal: { readonly strategy: string; readonly params: ActionParams };
  /** Position on the ladder. */
  readonly step: number;
  /** True when the proposal escalates after an earlier step failed. */
  readonly escalation: boolean;
  readonly mode: 'live' | 'dry_run';
  readonly nowMs: number;
}

/** A healer hook's answer; `deny` and `modify` say why, and the reasons go into the decision's audit record. */
export type HealerPolicyVerdict =
  | { readonly verdict: 'allow'; readonly reasons?: readonly string[] }
  | { readonly verdict: 'deny'; readonly reasons: readonly string[] }
  | {
      readonly verdict: 'modify';
      /** Another registered strategy; it plans afresh. */
      readonly strategy?: string;
      /** Merged over the planned params. */
      readonly params?: ActionParams;
      readonly reasons: readonly string[];
    };

/** A rule applied to every action the healer proposes. */
export interface HealerPolicyHook {
  readonly name: string;
  evaluate(ctx: HealerPolicyContext): HealerPolicyVerdict;
}
