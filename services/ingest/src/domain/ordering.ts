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
      /** The sample to publish; its timestamp is clamped to the receiver clock when it was ahead. */
      readonly signal: HealthSignal;
      readonly state: AssetStreamState;
      /** Older than a sample already accepted (but within tolerance): downstream windows must insert, not append. */
      readonly outOfOrder: boolean;
      /** The producer timestamp when it was clamped, else null. */
      readonly clampedFromMs: number | null;
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
 * A sample ahead of `nowMs` (validation bounded by how much) is published at `nowMs`, because one
 * producer with a fast clock would otherwise move `lastAcceptedMs` into the future and make every
 * correct sample after it look late. De-duplication still uses the producer timestamp: a redelivered
 * record clamps to a different `nowMs`, but carries the same producer timestamp.
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
  const outOfOrder = state.lastAcceptedMs !== null && effectiveMs < state.lastAcceptedMs;
  const lastAcceptedMs = state.lastAcceptedMs === null ? effectiveMs : Math.max(state.lastAcceptedMs, effectiveMs);
  const next = trimToCapacity(
    { lastAcceptedMs, recentMs: remember(state.recentMs, producerMs, lastAcceptedMs - config.lateToleranceMs), horizonMs: state.horizonMs },
    config.recentCapacity,
  );
  return {
    admitted: true,
    signal: effectiveMs === producerMs ? signal : { ...signal, timestampMs: effectiveMs },
    state: next,
    outOfOrder,
    clampedFromMs: effectiveMs === producerMs ? null : producerMs,
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
