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
import type { Criterion } from './weights';

/** Numeric performance columns, one entry per asset. */
export interface PerformanceColumns {
  readonly latencyP95Ms: Float64Array;
  readonly errorRate: Float64Array;
  readonly unitCost: Float64Array;
  readonly saturation: Float64Array;
  /** Severity of the active anomaly, or -1 when none is active. */
  readonly anomalySeverity: Float64Array;
  /**
   * Criteria the asset reports no number for (NaN), as {@link MISSING_BIT}s: each is scored with the
   * configured missing-metric score instead of excluding the asset (most agents report only a few
   * metrics).
   */
  readonly missing: Uint8Array;
  /**
   * Numbers reported but out of range, as one bit per {@link PERFORMANCE_FIELDS} entry: 0 when all
   * are usable. A wrong number is not an unknown one: the asset cannot be scored.
   */
  readonly invalid: Uint8Array;
}

/** One bit per scoring criterion in {@link PerformanceColumns.missing}. */
export const MISSING_BIT: Readonly<Record<Criterion, number>> = Object.freeze({ cost: 1, latency: 2, reliability: 4, saturation: 8 });

/** Every criterion missing: nothing is known about the asset, so there is nothing to score. */
export const ALL_MISSING = Object.values(MISSING_BIT).reduce((all, bit) => all | bit, 0);

const nonNegative = (v: number): boolean => v >= 0 && v < Infinity;
const fraction = (v: number): boolean => v >= 0 && v <= 1;

/** A performance number as a rejection names it: what it is called, its unit and its valid range. */
export interface PerformanceField {
  readonly name: string;
  readonly unit: string;
  readonly expected: string;
  /** The criterion it feeds; null for the anomaly severity, which only penalises. */
  readonly criterion: Criterion | null;
  read(p: PerformanceColumns, i: number): number;
  ok(v: number): boolean;
}

/** The numbers a performance view carries, in the order rejections name them. Bit k of `invalid` is entry k. */
export const PERFORMANCE_FIELDS: readonly PerformanceField[] = [
  { name: 'latency p95', unit: ' ms', expected: '>= 0', criterion: 'latency', read: (p, i) => p.latencyP95Ms[i]!, ok: nonNegative },
  { name: 'error rate', unit: '', expected: 'in [0, 1]', criterion: 'reliability', read: (p, i) => p.errorRate[i]!, ok: fraction },
  { name: 'unit cost', unit: '', expected: '>= 0', criterion: 'cost', read: (p, i) => p.unitCost[i]!, ok: nonNegative },
  { name: 'saturation', unit: '', expected: 'in [0, 1]', criterion: 'saturation', read: (p, i) => p.saturation[i]!, ok: fraction },
  { name: 'anomaly severity', unit: '', expected: 'in [0, 1]', criterion: null, read: (p, i) => p.anomalySeverity[i]!, ok: fraction },
];

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

function writePerformance(cols: PerformanceColumns, i: number, p: PerformanceView): void {
  cols.latencyP95Ms[i] = p.latencyP95Ms;
  cols.errorRate[i] = p.errorRate;
  cols.unitCost[i] = p.unitCost;
  cols.saturation[i] = p.saturation;
  cols.anomalySeverity[i] = p.anomalyActive ? p.anomalySeverity : -1;
  let missing = 0;
  let invalid = 0;
  for (let k = 0; k < PERFORMANCE_FIELDS.length; k++) {
    const field = PERFORMANCE_FIELDS[k]!;
    const v = field.read(cols, i);
    // NaN is "never reported" (the performance view's word for it); an inactive anomaly is -1 by design.
    if (field.criterion !== null && Number.isNaN(v)) missing |= MISSING_BIT[field.criterion];
    else if (!field.ok(v) && (field.criterion !== null || p.anomalyActive)) invalid |= 1 << k;
  }
  cols.missing[i] = missing;
  cols.invalid[i] = invalid;
}

function allocColumns(n: number): PerformanceColumns {
  return {
    latencyP95Ms: new Float64Array(n), errorRate: new Float64Array(n), unitCost: new Float64Array(n),
    saturation: new Float64Array(n), anomalySeverity: new Float64Array(n), missing: new Uint8Array(n), invalid: new Uint8Array(n),
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
    saturation: src.saturation.slice(), anomalySeverity: src.anomalySeverity.slice(), missing: src.missing.slice(),
    invalid: src.invalid.slice(),
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
