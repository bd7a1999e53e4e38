/**
 * Deterministic synthetic series for the detector tests: a seeded generator (mulberry32) and
 * Gaussian noise, so every run sees the same numbers and a failure is reproducible.
 */
import type { Sample } from '../../src/domain/index';

/** Uniform [0, 1) from a 32-bit seed. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box-Muller) from a seed. */
export function seededNormal(seed: number): () => number {
  const u = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** One-minute samples from t = 0 whose values are `value(i, noise)`. */
export function series(length: number, seed: number, value: (i: number, noise: number) => number): Sample[] {
  const n = seededNormal(seed);
  return Array.from({ length }, (_, i) => ({ timestampMs: i * 60_000, value: value(i, n()) }));
}

/** White noise N(level, sd^2). */
export function whiteNoise(length: number, seed: number, level = 100, sd = 1): Sample[] {
  return series(length, seed, (_, e) => level + sd * e);
}

/** Where {@link regimeSeries} switches from its quiet start to `tail`. */
export const REGIME_ONSET = 60;

/**
 * The regime harness: one sample per second, {@link REGIME_ONSET} samples of 50 + uniform noise in
 * ±2 (stddev 1.15), then `tail(i)` plus the same noise for `length` samples. Meant for a detector
 * with a 30-sample warm-up, so a regime starts soon after judgement does, before the long-run
 * statistics have settled: the hardest case for a slow change.
 */
export function regimeSeries(tail: (i: number) => number, length = 150, seed = 11): Sample[] {
  const u = seededUniform(seed);
  return Array.from({ length: REGIME_ONSET + length }, (_, i) => ({
    timestampMs: (i + 1) * 1000,
    value: (i < REGIME_ONSET ? 50 : tail(i - REGIME_ONSET)) + (u() - 0.5) * 4,
  }));
}
