import type { HealingMode } from './action';
import { ANOMALY_KINDS } from './anomaly';
import { DEFAULT_LADDERS } from './ladder';
import type { Ladders } from './ladder';
import type { PolicyHook } from './policy';
import type { ResponseStrategy } from './strategy';

/** Operator settings of the healer (data: from env or a file, parsed once at boot). */
export interface HealerSettings {
  /** A new deployment observes before it acts: actions are decided and audited, not executed. @default 'dry_run' */
  readonly mode: HealingMode;
  /** @default DEFAULT_LADDERS */
  readonly ladders: Ladders;
  /** After acting on an asset, new anomalies on it are suppressed for this long (escalation is not). @default 300_000 */
  readonly cooldownMs: number;
  /** Actions in flight across the fleet; bounds the blast radius of a bad detector day. @default 20 */
  readonly maxInFlightGlobal: number;
  /** Actions in flight per region, so one region's incident cannot take every slot. @default 5 */
  readonly maxInFlightPerRegion: number;
  /**
   * How long a dedupe key is remembered. Kafka's default retention is 7 days, so a redelivered or
   * replayed anomaly can never be older than its key. @default 604_800_000
   */
  readonly dedupeTtlMs: number;
  /** An in-flight slot expires `withinMs + slotGraceMs` after it was taken, so a crashed healer cannot leak it. @default 60_000 */
  readonly slotGraceMs: number;
  /** A strategy that failed on the same asset and metric this recently is skipped. @default 3_600_000 */
  readonly recentFailureWindowMs: number;
}

/** The settings the healer runs with unless configured otherwise. */
export const DEFAULT_HEALER_SETTINGS: HealerSettings = Object.freeze({
  mode: 'dry_run',
  ladders: DEFAULT_LADDERS,
  cooldownMs: 300_000,
  maxInFlightGlobal: 20,
  maxInFlightPerRegion: 5,
  dedupeTtlMs: 604_800_000,
  slotGraceMs: 60_000,
  recentFailureWindowMs: 3_600_000,
});

/** Settings plus the code they refer to, checked against each other once at boot. */
export interface HealerConfig {
  readonly settings: HealerSettings;
  readonly strategies: ReadonlyMap<string, ResponseStrategy>;
  /** Run in this order on every proposal. */
  readonly policies: readonly PolicyHook[];
}

/**
 * Builds the healer configuration. Throws, naming the problem, when a ladder names a strategy that
 * is not registered, bands are out of order, a name is registered twice, or a number is not a
 * positive integer: all of these would otherwise surface mid-incident.
 */
export function resolveHealerConfig(input: {
  readonly settings?: Partial<HealerSettings>;
  readonly strategies: readonly ResponseStrategy[];
  readonly policies?: readonly PolicyHook[];
}): HealerConfig {
  const settings: HealerSettings = { ...DEFAULT_HEALER_SETTINGS, ...input.settings };
  const numeric = ['cooldownMs', 'maxInFlightGlobal', 'maxInFlightPerRegion', 'dedupeTtlMs', 'slotGraceMs', 'recentFailureWindowMs'] as const;
  for (const name of numeric) {
    const value = settings[name];
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`healer ${name} must be a positive integer, got ${String(value)}`);
  }
  if (settings.mode !== 'live' && settings.mode !== 'dry_run') throw new RangeError(`healer mode must be live or dry_run, got ${String(settings.mode)}`);
  const strategies = new Map<string, ResponseStrategy>();
  for (const strategy of input.strategies) {
    if (strategies.has(strategy.name)) throw new RangeError(`strategy ${strategy.name} is registered twice`);
    strategies.set(strategy.name, strategy);
  }
  const policies = input.policies ?? [];
  const hookNames = new Set(policies.map((hook) => hook.name));
  if (hookNames.size !== policies.length) throw new RangeError('policy hook names must be unique: they identify results in the audit');
  for (const kind of ANOMALY_KINDS) {
    const bands = settings.ladders[kind];
    if (bands === undefined) throw new RangeError(`healer ladders.${kind} is missing`);
    bands.forEach((band, index) => {
      const where = `healer ladders.${kind}[${index}]`;
      if (!(band.minSeverity >= 0 && band.minSeverity <= 1)) throw new RangeError(`${where}.minSeverity must be within [0, 1]`);
      if (index > 0 && band.minSeverity <= (bands[index - 1]?.minSeverity ?? -1)) throw new RangeError(`${where}.minSeverity must be above the band before it`);
      if (band.steps.length === 0) throw new RangeError(`${where}.steps is empty`);
      for (const step of band.steps) if (!strategies.has(step)) throw new RangeError(`${where} names unregistered strategy "${step}"`);
    });
  }
  return Object.freeze({ settings: Object.freeze(settings), strategies, policies: Object.freeze([...policies]) });
}
