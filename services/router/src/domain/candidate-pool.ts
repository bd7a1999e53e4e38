/**
 * The candidate set compiled for fast decisions: struct-of-arrays over the registry snapshot.
 *
 * The registry changes rarely (assets come and go) while performance changes with every telemetry
 * batch, so the static part (ids, interned regions/providers, capability and tag bit sets) is built
 * once per registry version and {@link withPerformance} swaps only the numeric columns. A decision
 * then reads typed arrays and allocates only for what it reports.
 */
import type { AssetCandidate, PerformanceView } from './candidate';
import { STATUS_CODE } from './candidate';
import type { Vocabulary } from './vocabulary';
import { buildVocabulary, writeBits } from './vocabulary';

/** Numeric performance columns, one entry per asset. */
export interface PerformanceColumns {
  readonly latencyP95Ms: Float64Array;
  readonly errorRate: Float64Array;
  readonly unitCost: Float64Array;
  readonly saturation: Float64Array;
  /** Severity of the active anomaly, or -1 when none is active. */
  readonly anomalySeverity: Float64Array;
  /** 1 when any performance number is missing or out of range: the asset cannot be scored. */
  readonly invalid: Uint8Array;
}

/**
 * Per-decision working columns, allocated once per pool size and reused. Five typed arrays of 10,000
 * entries per decision were a measurable share of p99 through garbage collection. `routeJob` takes
 * them for the duration of one synchronous call and never lets them escape, so decisions stay pure
 * from the outside; `busy` makes a re-entrant call (a policy hook that routes) allocate its own.
 */
export interface RoutingScratch {
  busy: boolean;
  readonly totals: Float64Array;
  readonly policyDelta: Float64Array;
  readonly masks: Uint16Array;
  readonly eligible: Int32Array;
  readonly rejected: Int32Array;
}

/** Allocates working columns for a pool of `n` candidates. */
export function allocScratch(n: number): RoutingScratch {
  return {
    busy: false, totals: new Float64Array(n), policyDelta: new Float64Array(n), masks: new Uint16Array(n),
    eligible: new Int32Array(n), rejected: new Int32Array(n),
  };
}

/** A compiled, immutable candidate set. Build with {@link compileCandidatePool}. */
export interface CandidatePool {
  readonly size: number;
  readonly assets: readonly AssetCandidate[];
  readonly indexById: ReadonlyMap<string, number>;
  readonly capabilities: Vocabulary;
  readonly tags: Vocabulary;
  readonly regions: Vocabulary;
  readonly capabilityBits: Uint32Array;
  readonly tagBits: Uint32Array;
  readonly regionId: Int32Array;
  readonly providerId: Int32Array;
  readonly status: Uint8Array;
  readonly perf: PerformanceColumns;
  /** Reused working memory for `routeJob`; not part of the pool's value. */
  readonly scratch: RoutingScratch;
}

/** Thrown when a pool is built from assets with duplicate ids. */
export class DuplicateAssetError extends Error {
  override readonly name = 'DuplicateAssetError';
}

function isValid(p: PerformanceView): boolean {
  const fraction = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
  return Number.isFinite(p.latencyP95Ms) && p.latencyP95Ms >= 0 && Number.isFinite(p.unitCost) && p.unitCost >= 0
    && fraction(p.errorRate) && fraction(p.saturation) && (!p.anomalyActive || fraction(p.anomalySeverity));
}

function writePerformance(cols: PerformanceColumns, i: number, p: PerformanceView): void {
  cols.latencyP95Ms[i] = p.latencyP95Ms;
  cols.errorRate[i] = p.errorRate;
  cols.unitCost[i] = p.unitCost;
  cols.saturation[i] = p.saturation;
  cols.anomalySeverity[i] = p.anomalyActive ? p.anomalySeverity : -1;
  cols.invalid[i] = isValid(p) ? 0 : 1;
}

function allocColumns(n: number): PerformanceColumns {
  return {
    latencyP95Ms: new Float64Array(n), errorRate: new Float64Array(n), unitCost: new Float64Array(n),
    saturation: new Float64Array(n), anomalySeverity: new Float64Array(n), invalid: new Uint8Array(n),
  };
}

/** Compiles a registry snapshot. Throws {@link DuplicateAssetError} on a repeated assetId. */
export function compileCandidatePool(assets: readonly AssetCandidate[]): CandidatePool {
  const n = assets.length;
  const capabilities = buildVocabulary(assets.map((a) => a.capabilities));
  const tags = buildVocabulary(assets.map((a) => a.complianceTags));
  const regions = buildVocabulary(assets.map((a) => [a.region]));
  const providers = buildVocabulary(assets.map((a) => [a.provider]));
  const capabilityBits = new Uint32Array(n * capabilities.words);
  const tagBits = new Uint32Array(n * tags.words);
  const regionId = new Int32Array(n);
  const providerId = new Int32Array(n);
  const status = new Uint8Array(n);
  const perf = allocColumns(n);
  const indexById = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const a = assets[i]!;
    if (indexById.has(a.assetId)) throw new DuplicateAssetError(`asset ${a.assetId} appears twice in the registry snapshot`);
    indexById.set(a.assetId, i);
    writeBits(capabilities, a.capabilities, capabilityBits, i * capabilities.words);
    writeBits(tags, a.complianceTags, tagBits, i * tags.words);
    regionId[i] = regions.ids.get(a.region)!;
    providerId[i] = providers.ids.get(a.provider)!;
    status[i] = STATUS_CODE[a.status];
    writePerformance(perf, i, a.performance);
  }
  return { size: n, assets, indexById, capabilities, tags, regions, capabilityBits, tagBits, regionId, providerId, status, perf, scratch: allocScratch(n) };
}

/**
 * Returns a pool with new performance for some assets; the static columns are shared, the numeric
 * ones copied (a few hundred kilobytes at 10,000 assets), so earlier pools stay valid for replay.
 * Updates for unknown assets are ignored: the registry, not telemetry, decides what exists.
 */
export function withPerformance(pool: CandidatePool, updates: Iterable<readonly [string, PerformanceView]>): CandidatePool {
  const src = pool.perf;
  const perf: PerformanceColumns = {
    latencyP95Ms: src.latencyP95Ms.slice(), errorRate: src.errorRate.slice(), unitCost: src.unitCost.slice(),
    saturation: src.saturation.slice(), anomalySeverity: src.anomalySeverity.slice(), invalid: src.invalid.slice(),
  };
  const assets = pool.assets.slice();
  for (const [assetId, view] of updates) {
    const i = pool.indexById.get(assetId);
    if (i === undefined) continue;
    writePerformance(perf, i, view);
    assets[i] = { ...assets[i]!, performance: view };
  }
  // Scratch is shared with the source pool: decisions are synchronous, and `busy` guards the rest.
  return { ...pool, assets, perf };
}
