/**
 * The bounded window of the most recent samples, kept for the slope and the flapping test. It is
 * the only array in the detector state, so its length is the state's size bound.
 */

/** The last few samples, oldest first. Two parallel arrays of equal length serialise compactly. */
export interface RecentWindow {
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
}

/** An empty window. */
export function emptyWindow(): RecentWindow {
  return { timestampsMs: [], values: [] };
}

/**
 * Appends a sample and drops the oldest beyond `size`. Returns new arrays: the caller's state is
 * never mutated, which keeps `step` pure and replayable.
 */
export function pushSample(w: RecentWindow, timestampMs: number, value: number, size: number): RecentWindow {
  const drop = w.values.length + 1 > size ? w.values.length + 1 - size : 0;
  const timestampsMs = w.timestampsMs.slice(drop);
  const values = w.values.slice(drop);
  timestampsMs.push(timestampMs);
  values.push(value);
  return { timestampsMs, values };
}

/** Mean of the absolute successive differences in the window (0 when fewer than two samples). */
export function meanAbsDiff(values: readonly number[]): number {
  let sum = 0;
  let prev = values[0];
  if (prev === undefined || values.length < 2) return 0;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    sum += Math.abs(v - prev);
    prev = v;
  }
  return sum / (values.length - 1);
}
