import type { OrderingConfig } from './ordering-config';

/**
 * What ingest remembers about one asset's stream, between batches. Plain JSON and bounded (at most
 * `recentCapacity` numbers), because the adapter keeps it in Redis, one key per asset.
 *
 * Invariant: every sample ever accepted for the asset has a timestamp that is in `recentMs`, or at
 * or below `horizonMs`, or older than `lastAcceptedMs - lateToleranceMs`. Each of those is refused,
 * which is what makes "never accept a sample twice" hold even after `recentMs` overflows.
 */
export interface AssetStreamState {
  /** Newest accepted event time after the clock-skew clamp; null before the first sample. */
  readonly lastAcceptedMs: number | null;
  /** Producer timestamps accepted recently, ascending, unique, at most `recentCapacity` of them. */
  readonly recentMs: readonly number[];
  /** Largest timestamp forgotten because `recentMs` was full; null while nothing was forgotten. */
  readonly horizonMs: number | null;
}

/** The state of an asset ingest has never seen. */
export const EMPTY_STREAM_STATE: AssetStreamState = Object.freeze({ lastAcceptedMs: null, recentMs: Object.freeze([]), horizonMs: null });

/**
 * Reads a state loaded from Redis. Returns `null` when it is not a state at all (the adapter then
 * starts from `EMPTY_STREAM_STATE` and logs it). A state written under a larger `recentCapacity` is
 * trimmed here, raising the horizon, so the bound holds after a configuration change.
 */
export function parseStreamState(raw: unknown, config: OrderingConfig): AssetStreamState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { lastAcceptedMs, recentMs, horizonMs } = raw as Record<string, unknown>;
  if (!isTimestampOrNull(lastAcceptedMs) || !isTimestampOrNull(horizonMs)) return null;
  if (!Array.isArray(recentMs) || !recentMs.every((value) => isTimestamp(value))) return null;
  const sorted = [...new Set(recentMs as number[])].sort((a, b) => a - b);
  return trimToCapacity({ lastAcceptedMs, recentMs: sorted, horizonMs }, config.recentCapacity);
}

/** Drops the oldest remembered timestamps beyond `capacity`, raising the horizon over them. */
export function trimToCapacity(state: AssetStreamState, capacity: number): AssetStreamState {
  const excess = state.recentMs.length - capacity;
  if (excess <= 0) return state;
  const forgotten = state.recentMs[excess - 1];
  const horizonMs = forgotten === undefined ? state.horizonMs : Math.max(state.horizonMs ?? forgotten, forgotten);
  return { ...state, recentMs: state.recentMs.slice(excess), horizonMs };
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isTimestampOrNull(value: unknown): value is number | null {
  return value === null || isTimestamp(value);
}
