import type { HealthSignal } from '@maestro/telemetry';
import type { OrderingConfig } from './ordering-config';
import { trimToCapacity } from './stream-state';
import type { AssetStreamState } from './stream-state';

/**
 * Why a valid sample is not admitted into an asset's stream:
 * - `duplicate`: the same producer timestamp was already accepted for this asset (a redelivery or a double send);
 * - `too_late`: older than the newest accepted sample by more than `lateToleranceMs`;
 * - `behind_dedupe_horizon`: at or below a timestamp forgotten for capacity, so it may be a duplicate
 *   and that can no longer be ruled out.
 */
export const ORDERING_REJECTIONS = ['duplicate', 'too_late', 'behind_dedupe_horizon'] as const;

/** A reason a sample is not admitted. */
export type OrderingRejection = (typeof ORDERING_REJECTIONS)[number];

/** The outcome of offering one validated sample to its asset's stream. */
export type Admission =
  | {
      readonly admitted: true;
      /** The sample to publish, with the producer's own timestamp. */
      readonly signal: HealthSignal;
      readonly state: AssetStreamState;
      /** Older than a sample already accepted (but within tolerance): downstream windows must insert, not append. */
      readonly outOfOrder: boolean;
      /** How far ahead of the receiver clock the producer's timestamp was (within the skew bound), else null. */
      readonly aheadOfReceiverMs: number | null;
    }
  | {
      readonly admitted: false;
      readonly reason: OrderingRejection;
      readonly message: string;
      /** Unchanged: a refused sample leaves no trace. */
      readonly state: AssetStreamState;
    };

/**
 * Offers a sample, already accepted by `validateSignal`, to its asset's stream. Pure: returns the
 * next state, which the adapter writes back.
 *
 * A sample ahead of `nowMs` (validation bounds by how much) keeps its own timestamp when published:
 * rewriting it to `nowMs` would collapse a burst of distinct future-stamped samples onto one instant,
 * and downstream series would keep only the first. What it may not do is move the stream's lateness
 * reference into the future, where a producer with a fast clock would make every correct sample after
 * it look late: `lastAcceptedMs` advances by at most `nowMs`. De-duplication uses the producer
 * timestamp, so a redelivered record is recognised whenever it arrives.
 *
 * Metrics are passed through untouched: one the producer did not send stays absent.
 */
export function admitSample(state: AssetStreamState, signal: HealthSignal, nowMs: number, config: OrderingConfig): Admission {
  const producerMs = signal.timestampMs;
  const refused = (reason: OrderingRejection, message: string): Admission => ({ admitted: false, reason, message, state });
  // Duplicate first: a redelivery is the common case, and "duplicate" is then the true reason.
  if (state.recentMs.includes(producerMs)) {
    return refused('duplicate', `sample at ${producerMs} for ${signal.assetId} was already accepted`);
  }
  if (state.horizonMs !== null && producerMs <= state.horizonMs) {
    return refused('behind_dedupe_horizon', `sample at ${producerMs} for ${signal.assetId} is at or before the dedupe horizon ${state.horizonMs}`);
  }
  if (state.lastAcceptedMs !== null && producerMs < state.lastAcceptedMs - config.lateToleranceMs) {
    const lateMs = state.lastAcceptedMs - producerMs;
    return refused('too_late', `sample at ${producerMs} for ${signal.assetId} is ${lateMs} ms behind the newest, at most ${config.lateToleranceMs} ms allowed`);
  }

  const effectiveMs = Math.min(producerMs, nowMs);
  const outOfOrder = state.lastAcceptedMs !== null && producerMs < state.lastAcceptedMs;
  const lastAcceptedMs = state.lastAcceptedMs === null ? effectiveMs : Math.max(state.lastAcceptedMs, effectiveMs);
  const next = trimToCapacity(
    { lastAcceptedMs, recentMs: remember(state.recentMs, producerMs, lastAcceptedMs - config.lateToleranceMs), horizonMs: state.horizonMs },
    config.recentCapacity,
  );
  return {
    admitted: true,
    signal,
    state: next,
    outOfOrder,
    aheadOfReceiverMs: producerMs > nowMs ? producerMs - nowMs : null,
  };
}

/**
 * Inserts `timestampMs` in order and forgets timestamps below `lateFloorMs`: those would be refused
 * as too late anyway, so remembering them buys nothing and costs capacity.
 */
function remember(recentMs: readonly number[], timestampMs: number, lateFloorMs: number): number[] {
  const kept = recentMs.filter((value) => value >= lateFloorMs);
  const at = kept.findIndex((value) => value > timestampMs);
  if (at === -1) kept.push(timestampMs);
  else kept.splice(at, 0, timestampMs);
  return kept;
}
