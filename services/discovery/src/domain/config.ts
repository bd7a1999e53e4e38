/**
 * Discovery configuration: the source catalog (who may report assets, and who wins a disagreement)
 * and the lifecycle windows. Resolved once at boot into a frozen object; the lead's env loader
 * feeds `resolveDiscoveryConfig` and a bad value stops the process naming the field.
 */

/**
 * How a source reports. A snapshot source answers with everything it knows on each poll, so absence
 * means "no longer reported"; a telemetry source only ever says "seen now", so absence means nothing
 * until its samples stop for long enough.
 */
export type SourceMode = 'snapshot' | 'telemetry';

/** One entry of the source catalog. */
export interface SourceSpec {
  /** Unique name; appears in `AssetEvent.sources`. */
  readonly name: string;
  /** Higher wins a field-wise disagreement; ties are broken by name so merges are deterministic. */
  readonly precedence: number;
  readonly mode: SourceMode;
}

/** Tunable settings of the discovery core. */
export interface DiscoveryConfig {
  /**
   * The sources, in any order. A report from a source not listed here is a wiring bug and throws.
   * @default static (300, snapshot), http (200, snapshot), telemetry (100, telemetry)
   */
  readonly sources: readonly SourceSpec[];
  /**
   * An asset whose latest sample is older than this is published as `stale`. Several sample periods
   * (agents report every 10–30 s), so one lost batch or a consumer rebalance does not flap it.
   * @default 120_000
   */
  readonly staleAfterMs: number;
  /**
   * How long nothing must vouch for an asset before it is published as `removed`. Covers a snapshot
   * source that drops an entry by mistake for a poll or two and a redeploy of the asset itself.
   * @default 600_000
   */
  readonly removalGraceMs: number;
  /**
   * How long telemetry alone vouches for an asset that no snapshot source has ever listed. Long:
   * such an asset has no other witness, and a stale asset is already avoided by the router; removing
   * it would lose its attributes to a nightly batch window or a weekend shutdown.
   * @default 86_400_000
   */
  readonly telemetryRetentionMs: number;
}

/** A validated configuration. Frozen, sources included. */
export type ResolvedDiscoveryConfig = Readonly<DiscoveryConfig>;

/** The source catalog the built-in providers use by default (see `src/providers`). */
export const DEFAULT_SOURCES: readonly SourceSpec[] = Object.freeze([
  Object.freeze({ name: 'static', precedence: 300, mode: 'snapshot' as const }),
  Object.freeze({ name: 'http', precedence: 200, mode: 'snapshot' as const }),
  Object.freeze({ name: 'telemetry', precedence: 100, mode: 'telemetry' as const }),
]);

/** The defaults, documented field by field on {@link DiscoveryConfig}. */
export const DEFAULT_DISCOVERY_CONFIG: ResolvedDiscoveryConfig = Object.freeze({
  sources: DEFAULT_SOURCES,
  staleAfterMs: 120_000,
  removalGraceMs: 600_000,
  telemetryRetentionMs: 86_400_000,
});

/** Thrown when a configuration value is invalid; the message names the field. */
export class DiscoveryConfigError extends Error {
  constructor(readonly field: string, message: string) {
    super(`discovery config ${field}: ${message}`);
    this.name = 'DiscoveryConfigError';
  }
}

const WINDOWS = ['staleAfterMs', 'removalGraceMs', 'telemetryRetentionMs'] as const;
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Merges `input` over the defaults and validates every field.
 * @throws DiscoveryConfigError naming the first invalid field.
 */
export function resolveDiscoveryConfig(input: Partial<DiscoveryConfig> = {}): ResolvedDiscoveryConfig {
  for (const key of Object.keys(input)) {
    if (key !== 'sources' && !(WINDOWS as readonly string[]).includes(key)) throw new DiscoveryConfigError(key, 'unknown setting');
  }
  const merged = { ...DEFAULT_DISCOVERY_CONFIG, ...stripUndefined(input) };
  for (const field of WINDOWS) {
    const value: unknown = merged[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new DiscoveryConfigError(field, `must be a non-negative integer of milliseconds, got ${String(value)}`);
    }
  }
  if (merged.staleAfterMs === 0) throw new DiscoveryConfigError('staleAfterMs', 'must be positive');
  // Retention shorter than staleness would remove a telemetry-only asset before it was ever stale.
  if (merged.telemetryRetentionMs < merged.staleAfterMs) {
    throw new DiscoveryConfigError('telemetryRetentionMs', `must be at least staleAfterMs (${merged.staleAfterMs}), got ${merged.telemetryRetentionMs}`);
  }
  const sources = merged.sources.map((spec, i) => Object.freeze(checkSource(spec, i)));
  const names = new Set<string>();
  for (const { name } of sources) {
    if (names.has(name)) throw new DiscoveryConfigError('sources', `duplicate source name ${JSON.stringify(name)}`);
    names.add(name);
  }
  if (sources.length === 0) throw new DiscoveryConfigError('sources', 'at least one source is required');
  return Object.freeze({ ...merged, sources: Object.freeze(sources) });
}

function checkSource(spec: SourceSpec, index: number): SourceSpec {
  const field = `sources[${index}]`;
  if (typeof spec.name !== 'string' || !SOURCE_NAME.test(spec.name)) {
    throw new DiscoveryConfigError(`${field}.name`, `must match ${SOURCE_NAME.source}, got ${JSON.stringify(spec.name)}`);
  }
  if (typeof spec.precedence !== 'number' || !Number.isFinite(spec.precedence)) {
    throw new DiscoveryConfigError(`${field}.precedence`, `must be a finite number, got ${String(spec.precedence)}`);
  }
  if (spec.mode !== 'snapshot' && spec.mode !== 'telemetry') {
    throw new DiscoveryConfigError(`${field}.mode`, `must be snapshot or telemetry, got ${String(spec.mode)}`);
  }
  return { name: spec.name, precedence: spec.precedence, mode: spec.mode };
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
