/**
 * Lookups in the configured source catalog. Kept apart from `config.ts` because these run on every
 * report and merge, while validation runs once at boot.
 */
import type { ResolvedDiscoveryConfig, SourceSpec } from './config';

/** Thrown when a report or contribution names a source the catalog does not list: a wiring bug. */
export class UnknownSourceError extends Error {
  constructor(readonly source: string) {
    super(`discovery source ${JSON.stringify(source)} is not in the configured source catalog`);
    this.name = 'UnknownSourceError';
  }
}

/** The catalog entry for `name`, or `undefined` when it is not configured (any more). */
export function findSource(config: ResolvedDiscoveryConfig, name: string): SourceSpec | undefined {
  return config.sources.find((spec) => spec.name === name);
}

/**
 * The catalog entry for `name`.
 * @throws UnknownSourceError when it is not configured.
 */
export function sourceSpec(config: ResolvedDiscoveryConfig, name: string): SourceSpec {
  const spec = findSource(config, name);
  if (spec === undefined) throw new UnknownSourceError(name);
  return spec;
}

/**
 * Orders source names highest precedence first, then by name: the order of `AssetEvent.sources` and
 * the order in which the merge lets sources speak. Names missing from the catalog sort last.
 */
export function compareSources(config: ResolvedDiscoveryConfig, a: string, b: string): number {
  const pa = findSource(config, a)?.precedence ?? Number.NEGATIVE_INFINITY;
  const pb = findSource(config, b)?.precedence ?? Number.NEGATIVE_INFINITY;
  if (pa !== pb) return pb > pa ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `name` is a configured telemetry source. */
export function isTelemetrySource(config: ResolvedDiscoveryConfig, name: string): boolean {
  return findSource(config, name)?.mode === 'telemetry';
}

/** True when `name` is a configured snapshot source. */
export function isSnapshotSource(config: ResolvedDiscoveryConfig, name: string): boolean {
  return findSource(config, name)?.mode === 'snapshot';
}
