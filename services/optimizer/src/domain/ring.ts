/**
 * A bounded rolling window of numbers as plain JSON (it lives in Redis with the rest of the state).
 * Updates return a new ring; the old one is untouched, so a state read from Redis can be replayed.
 */

/** A fixed-capacity ring. `values[head]` is the next slot to write; `length` <= capacity. */
export interface Ring {
  readonly capacity: number;
  readonly head: number;
  readonly length: number;
  readonly values: readonly number[];
}

/** An empty ring of `capacity` slots. */
export function emptyRing(capacity: number): Ring {
  return { capacity, head: 0, length: 0, values: [] };
}

/** Appends `x`, evicting the oldest value when full. O(capacity) copy, bounded by design. */
export function push(ring: Ring, x: number): Ring {
  const values = ring.values.slice();
  values[ring.head] = x;
  return { capacity: ring.capacity, head: (ring.head + 1) % ring.capacity, length: Math.min(ring.length + 1, ring.capacity), values };
}

/** The newest `k` values (all when omitted), oldest first. */
export function latest(ring: Ring, k: number = ring.length): number[] {
  const n = Math.min(k, ring.length);
  const out: number[] = new Array<number>(n);
  for (let j = 0; j < n; j++) out[j] = ring.values[(ring.head - n + j + ring.capacity) % ring.capacity]!;
  return out;
}

/** The newest value, or undefined when empty. */
export function last(ring: Ring): number | undefined {
  return ring.length === 0 ? undefined : ring.values[(ring.head - 1 + ring.capacity) % ring.capacity];
}

/** Arithmetic mean of the newest `k` values; NaN when empty. */
export function mean(ring: Ring, k: number = ring.length): number {
  const xs = latest(ring, k);
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * The values of `ring` whose time in `times` (a ring written in step with it) lies in the window
 * (nowMs − windowMs, nowMs], oldest first; always at least the newest value, which describes the
 * interval before it however long that was.
 */
export function withinWindow(ring: Ring, times: Ring, nowMs: number, windowMs: number): number[] {
  const xs = latest(ring);
  const ts = latest(times);
  const out = xs.filter((_, i) => ts[i]! <= nowMs && ts[i]! > nowMs - windowMs);
  return out.length > 0 || xs.length === 0 ? out : [xs[xs.length - 1]!];
}
