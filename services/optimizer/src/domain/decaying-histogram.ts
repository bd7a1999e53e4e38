/**
 * An exponentially decaying histogram, after the Kubernetes VPA recommender: exponential bucket
 * boundaries (constant relative precision from tiny to large values) and sample weights that halve
 * every `halfLifeMs`, so recent behaviour dominates without a hard cut-off.
 *
 * Rather than decaying every bucket on every sample, new samples are weighted up by
 * 2^((t - referenceMs) / halfLife); percentiles only depend on relative weights, so this is
 * equivalent. When the factor grows large the reference moves forward and all weights are scaled
 * down once, keeping numbers well inside float range (the VPA does the same).
 */

/** Bucket layout: bucket k covers [first·(ratio^k − 1)/(ratio − 1), first·(ratio^(k+1) − 1)/(ratio − 1)). */
export interface HistogramLayout {
  /** Width of the first bucket. @default 0.01 */
  readonly firstBucketSize: number;
  /** Growth ratio of bucket widths. @default 1.1 */
  readonly ratio: number;
  /** Number of buckets; values beyond the last bucket land in it. @default 120 */
  readonly bucketCount: number;
  /** Time for a sample's weight to halve. @default 3_600_000 */
  readonly halfLifeMs: number;
}

/** JSON state of a histogram. `weights` is trimmed after the highest non-empty bucket. */
export interface DecayingHistogram {
  readonly referenceMs: number;
  readonly totalWeight: number;
  readonly weights: readonly number[];
}

/** Beyond 2^30 of growth the weights are rescaled, far from float overflow and from precision loss. */
const MAX_EXPONENT = 30;

/** An empty histogram with its decay reference at `nowMs`. */
export function emptyHistogram(nowMs: number): DecayingHistogram {
  return { referenceMs: nowMs, totalWeight: 0, weights: [] };
}

/** Start of bucket `k`. */
export function bucketStart(layout: HistogramLayout, k: number): number {
  return layout.firstBucketSize * (Math.pow(layout.ratio, k) - 1) / (layout.ratio - 1);
}

/** Index of the bucket holding `value`. */
export function bucketOf(layout: HistogramLayout, value: number): number {
  if (value <= 0) return 0;
  const k = Math.floor(Math.log(1 + value * (layout.ratio - 1) / layout.firstBucketSize) / Math.log(layout.ratio));
  return Math.min(layout.bucketCount - 1, Math.max(0, k));
}

/** Adds `value` observed at `atMs` with base `weight`. Returns a new histogram. */
export function addSample(h: DecayingHistogram, layout: HistogramLayout, value: number, atMs: number, weight = 1): DecayingHistogram {
  let referenceMs = h.referenceMs;
  let weights = h.weights.slice();
  let totalWeight = h.totalWeight;
  let exponent = (atMs - referenceMs) / layout.halfLifeMs;
  if (exponent > MAX_EXPONENT) {
    const scale = Math.pow(2, -exponent);
    weights = weights.map((w) => w * scale);
    totalWeight *= scale;
    referenceMs = atMs;
    exponent = 0;
  }
  const k = bucketOf(layout, value);
  while (weights.length <= k) weights.push(0);
  const w = weight * Math.pow(2, exponent);
  weights[k] = weights[k]! + w;
  return { referenceMs, totalWeight: totalWeight + w, weights };
}

/**
 * The value below which a fraction `p` of the (decayed) weight lies. Returns the END of the bucket
 * where the cumulative weight crosses p, as the VPA does: a recommendation errs toward enough.
 * Returns 0 for an empty histogram.
 */
export function percentile(h: DecayingHistogram, layout: HistogramLayout, p: number): number {
  if (h.totalWeight <= 0) return 0;
  const threshold = p * h.totalWeight;
  let cumulative = 0;
  for (let k = 0; k < h.weights.length; k++) {
    cumulative += h.weights[k]!;
    if (cumulative >= threshold) return bucketStart(layout, k + 1);
  }
  return bucketStart(layout, h.weights.length);
}
