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
 * Picks up to `n` fallbacks among `eligible[0..count)` excluding `primary`. Greedy, one slot at a
 * time: O(n × count), which for the handful of fallbacks wanted is cheaper than sorting 10,000. The
 * inner loop rejects on the cheap integer keys (tier, region reuse) before the full ranking compare.
 */
export function selectFallbacks(
  pool: CandidatePool, totals: Float64Array, eligible: Int32Array, count: number, primary: number, n: number, tieEpsilon: number,
): FallbackPick[] {
  const picks: FallbackPick[] = [];
  const taken: number[] = [primary];
  const usedRegions: number[] = [];
  const { regionId, providerId } = pool;
  const primaryRegion = regionId[primary]!;
  const primaryProvider = providerId[primary]!;
  while (picks.length < n) {
    let best = -1;
    let bestKey = 8; // tier * 2 + (region already used by a fallback ? 1 : 0); lower is better
    for (let k = 0; k < count; k++) {
      const i = eligible[k]!;
      const region = regionId[i]!;
      const tier = region !== primaryRegion ? (providerId[i] !== primaryProvider ? 0 : 1) : (providerId[i] !== primaryProvider ? 2 : 3);
      if (tier * 2 > bestKey) continue;
      const key = tier * 2 + (usedRegions.length > 0 && usedRegions.includes(region) ? 1 : 0);
      if (key > bestKey || taken.includes(i)) continue;
      if (best < 0 || key < bestKey || ranksAhead(pool, totals, i, best, tieEpsilon)) {
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
