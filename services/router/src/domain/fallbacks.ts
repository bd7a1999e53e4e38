/**
 * Fallbacks drawn from other failure domains than the primary, so an incident that takes the primary
 * down (a region outage, a provider outage) is unlikely to take its fallbacks with it.
 *
 * Preference, relative to the primary: a different region and a different provider, then a different
 * region on the same provider, then the same region on a different provider, and only then the same
 * region and provider (it still covers the failure of the asset itself). Within a tier, a region not
 * already used by an earlier fallback comes first, so three fallbacks are not all in one region; then
 * the ordinary ranking decides.
 */
import type { CandidatePool } from './candidate-pool';
import { ranksAhead } from './ranking';

/** How a fallback's failure domain relates to the primary's. */
export const FAILURE_DOMAINS = ['different-region-and-provider', 'different-region', 'different-provider', 'same-domain'] as const;

/** How a fallback's failure domain relates to the primary's; earlier is better. */
export type FailureDomain = (typeof FAILURE_DOMAINS)[number];

/** A selected fallback: pool index and its failure-domain relation to the primary. */
export interface FallbackPick {
  readonly index: number;
  readonly failureDomain: FailureDomain;
}

/**
 * Best `n` of `eligible[0..count)` per (tier, region) bucket, in rank order. Two candidates in one
 * bucket always share the greedy's key (tier, region reuse), so the greedy takes a bucket's members
 * in rank order and at most `n` of them: this shortlist yields exactly the picks a full scan would,
 * after one pass instead of `n` passes over 10,000 candidates.
 */
function shortlist(pool: CandidatePool, totals: Float64Array, eligible: Int32Array, count: number, primary: number, n: number, tieEpsilon: number): number[] {
  const regions = pool.regions.names.length;
  const { regionId, providerId } = pool;
  const primaryRegion = regionId[primary]!;
  const primaryProvider = providerId[primary]!;
  const buckets: (number[] | undefined)[] = new Array<number[] | undefined>(4 * regions);
  for (let k = 0; k < count; k++) {
    const i = eligible[k]!;
    if (i === primary) continue;
    const region = regionId[i]!;
    const otherProvider = providerId[i] !== primaryProvider;
    const tier = region !== primaryRegion ? (otherProvider ? 0 : 1) : (otherProvider ? 2 : 3);
    const key = tier * regions + region;
    const b = (buckets[key] ??= []);
    if (b.length === n && !ranksAhead(pool, totals, i, b[n - 1]!, tieEpsilon)) continue;
    let at = b.length;
    while (at > 0 && ranksAhead(pool, totals, i, b[at - 1]!, tieEpsilon)) at--;
    b.splice(at, 0, i);
    if (b.length > n) b.pop();
  }
  const out: number[] = [];
  for (const b of buckets) if (b) for (const i of b) out.push(i);
  return out;
}

/**
 * Picks up to `n` fallbacks among `eligible[0..count)` excluding `primary`: greedy, one slot at a
 * time, over the shortlist, each slot taking the lowest (tier, region already used) key, then rank.
 */
export function selectFallbacks(
  pool: CandidatePool, totals: Float64Array, eligible: Int32Array, count: number, primary: number, n: number, tieEpsilon: number,
): FallbackPick[] {
  if (n <= 0) return [];
  const candidates = shortlist(pool, totals, eligible, count, primary, n, tieEpsilon);
  const picks: FallbackPick[] = [];
  const taken: number[] = [];
  const usedRegions: number[] = [];
  const { regionId, providerId } = pool;
  while (picks.length < n) {
    let best = -1;
    let bestKey = 8; // tier * 2 + (region already used by a fallback ? 1 : 0); lower is better
    for (const i of candidates) {
      if (taken.includes(i)) continue;
      const region = regionId[i]!;
      const otherProvider = providerId[i] !== providerId[primary];
      const tier = region !== regionId[primary] ? (otherProvider ? 0 : 1) : (otherProvider ? 2 : 3);
      const key = tier * 2 + (usedRegions.includes(region) ? 1 : 0);
      if (best < 0 || key < bestKey || (key === bestKey && ranksAhead(pool, totals, i, best, tieEpsilon))) {
        best = i;
        bestKey = key;
      }
    }
    if (best < 0) break;
    picks.push({ index: best, failureDomain: FAILURE_DOMAINS[bestKey >> 1]! });
    taken.push(best);
    usedRegions.push(regionId[best]!);
  }
  return picks;
}
