import type { Anomaly } from './anomaly';

/** A JSON value: action params travel in audit records and webhook payloads. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Strategy-specific parameters of an action. */
export type ActionParams = Readonly<Record<string, JsonValue>>;

/**
 * When the metric counts as recovered: `sustainedSamples` consecutive samples at most (or at least)
 * `threshold`. Consecutive, because one good sample in a flapping series proves nothing.
 */
export interface RecoveryCondition {
  readonly op: 'at_most' | 'at_least';
  readonly threshold: number;
  readonly sustainedSamples: number;
}

/** What an action promises: this metric satisfies this condition within `withinMs` of starting. */
export interface ExpectedRecovery {
  readonly metric: string;
  readonly withinMs: number;
  readonly condition: RecoveryCondition;
}

/** What a strategy plans: the adapter executes it (or, in dry-run, only records it). */
export interface ActionSpec {
  readonly strategy: string;
  readonly params: ActionParams;
  readonly expectedRecovery: ExpectedRecovery;
}

/** A strategy and its params, as proposed by the healer or imposed by a policy. */
export interface ActionChoice {
  readonly strategy: string;
  readonly params: ActionParams;
}

/**
 * An action under way, kept by the adapter (JSON, in Redis) until its recovery is decided. It
 * carries the anomaly and the resolved ladder so that escalation does not depend on configuration
 * that may have been reloaded since.
 */
export interface HealingAction extends ActionSpec {
  readonly dedupeKey: string;
  readonly anomaly: Anomaly;
  readonly ladder: readonly string[];
  readonly step: number;
  readonly startedAtMs: number;
  /** A dry-run incident stays dry-run while it escalates, even if the service is switched to live. */
  readonly mode: HealingMode;
}

/** `live` executes actions; `dry_run` decides, records and tracks them, but executes nothing. */
export type HealingMode = 'live' | 'dry_run';
