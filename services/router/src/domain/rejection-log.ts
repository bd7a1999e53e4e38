/**
 * The per-candidate rejection record of one decision, compact until read.
 *
 * A decision over 10,000 assets typically rejects thousands. Building their reason objects and texts
 * eagerly cost about 80 % of decision time (mostly garbage collection) in `bench/routing-core.ts`, so
 * the decision keeps one bit mask per rejected candidate and materialises reasons on first read. The
 * pool and job are immutable, so the lazy answer equals the eager one; `toJSON` makes a serialised
 * decision carry the full list, which is what the audit trail stores.
 */
import type { CandidatePool } from './candidate-pool';
import type { CompiledJobFilter } from './filters';
import { describeFailures } from './filters';
import type { PolicyRecord } from './policy';
import type { CandidateRejection, RejectionCode, RejectionReason } from './reasons';
import { REJECTION_CODES, reason } from './reasons';

/** Every rejected candidate of a decision, with every reason. */
export interface RejectionLog {
  /** Number of rejected candidates. */
  readonly size: number;
  /** Rejected candidates per code; a candidate failing several filters counts under each code. */
  readonly counts: Readonly<Record<RejectionCode, number>>;
  /** Reasons for one asset, or null when it was not rejected. */
  reasonsOf(assetId: string): readonly RejectionReason[] | null;
  /** All rejections in registry-snapshot order; built once, then cached. */
  list(): readonly CandidateRejection[];
  /** Serialises as the full list, so a stored decision is a complete audit record. */
  toJSON(): readonly CandidateRejection[];
}

/** An empty log, for refusals that happen before any candidate is examined. */
export const EMPTY_REJECTION_LOG: RejectionLog = createRejectionLog(null, null, new Uint16Array(0), new Int32Array(0), new Map());

/** Position of `i` in the ascending `rejected`, or -1. */
function positionOf(rejected: Int32Array, i: number): number {
  let lo = 0;
  let hi = rejected.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = rejected[mid]!;
    if (v === i) return mid;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Wraps what `routeJob` gathered: `rejected` lists rejected pool indexes in ascending order, `masks`
 * their failure masks at the same positions, and `denials` the deny records per policy-denied index.
 * The log owns both arrays (they are copies, not the pool's scratch).
 */
export function createRejectionLog(
  pool: CandidatePool | null, filter: CompiledJobFilter | null, masks: Uint16Array, rejected: Int32Array,
  denials: ReadonlyMap<number, readonly PolicyRecord[]>,
): RejectionLog {
  const count = rejected.length;
  // Count with integer bit tests into a typed array: keyed lookups per candidate per code were most
  // of the decision's time at 10,000 candidates.
  const tally = new Int32Array(REJECTION_CODES.length);
  for (let k = 0; k < count; k++) {
    let m = masks[k]!;
    for (let bit = 0; m !== 0; bit++, m >>>= 1) if (m & 1) tally[bit]!++;
  }
  const counts = Object.fromEntries(REJECTION_CODES.map((c, bit) => [c, tally[bit]!])) as Record<RejectionCode, number>;
  const reasonsAt = (k: number): RejectionReason[] => {
    const i = rejected[k]!;
    const out = pool && filter ? describeFailures(pool, i, filter, masks[k]!) : [];
    for (const d of denials.get(i) ?? []) out.push(reason.policyDenied(d.hook, d.reasons));
    return out;
  };
  let cached: CandidateRejection[] | null = null;
  const list = (): readonly CandidateRejection[] => {
    if (cached === null) {
      cached = [];
      for (let k = 0; k < count; k++) cached.push({ assetId: pool!.assets[rejected[k]!]!.assetId, reasons: reasonsAt(k) });
    }
    return cached;
  };
  return {
    size: count,
    counts,
    reasonsOf: (assetId) => {
      const i = pool?.indexById.get(assetId);
      const k = i === undefined ? -1 : positionOf(rejected, i);
      return k < 0 ? null : reasonsAt(k);
    },
    list,
    toJSON: list,
  };
}
