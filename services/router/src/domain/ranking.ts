/**
 * Deterministic ordering of eligible candidates. Totals within `tieEpsilon` are a tie, broken by, in
 * order: lower unit cost (cheaper wins when value is equal), lower p95 latency, lower error rate, and
 * finally assetId by code unit (not locale) so every node breaks the last tie the same way.
 */
import type { CandidatePool } from './candidate-pool';

/** True when candidate `a` ranks strictly ahead of `b`. */
export function ranksAhead(pool: CandidatePool, totals: Float64Array, a: number, b: number, tieEpsilon: number): boolean {
  const d = totals[a]! - totals[b]!;
  if (d > tieEpsilon) return true;
  if (d < -tieEpsilon) return false;
  const p = pool.perf;
  if (p.unitCost[a] !== p.unitCost[b]) return p.unitCost[a]! < p.unitCost[b]!;
  if (p.latencyP95Ms[a] !== p.latencyP95Ms[b]) return p.latencyP95Ms[a]! < p.latencyP95Ms[b]!;
  if (p.errorRate[a] !== p.errorRate[b]) return p.errorRate[a]! < p.errorRate[b]!;
  return pool.assets[a]!.assetId < pool.assets[b]!.assetId;
}

/** The best and second-best of `eligible[0..count)`, as pool indexes (-1 when absent). */
export function topTwo(pool: CandidatePool, totals: Float64Array, eligible: Int32Array, count: number, tieEpsilon: number): [number, number] {
  let best = -1;
  let second = -1;
  for (let k = 0; k < count; k++) {
    const i = eligible[k]!;
    if (best < 0 || ranksAhead(pool, totals, i, best, tieEpsilon)) {
      second = best;
      best = i;
    } else if (second < 0 || ranksAhead(pool, totals, i, second, tieEpsilon)) {
      second = i;
    }
  }
  return [best, second];
}
