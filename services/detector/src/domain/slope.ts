/**
 * Trend over the recent window: the least-squares slope and how significant it is. A ramp shows as
 * a slope whose t-statistic stays large; noise around a level gives |t| of order 1.
 */
import type { RecentWindow } from './recent-window';

/** Least-squares trend of the recent window. */
export interface Trend {
  /** Value units per second. */
  readonly slopePerSecond: number;
  /** Slope divided by its standard error; 0 when it cannot be estimated. */
  readonly slopeT: number;
}

const NO_TREND: Trend = { slopePerSecond: 0, slopeT: 0 };

/**
 * Fits value = a + b·t over the window. Time is taken from the timestamps (so a missing sample
 * does not fake a step) relative to the first one (so 1.7e12 ms does not cost precision); if the
 * timestamps do not spread (duplicates), it falls back to sample index at one second per sample.
 */
export function trendOf(w: RecentWindow): Trend {
  const n = w.values.length;
  if (n < 4) return NO_TREND;
  const t0 = w.timestampsMs[0] as number;
  let spanMs = (w.timestampsMs[n - 1] as number) - t0;
  const byIndex = !(spanMs > 0);
  if (byIndex) spanMs = (n - 1) * 1000;
  let st = 0;
  let sx = 0;
  for (let i = 0; i < n; i++) {
    st += byIndex ? i * 1000 : (w.timestampsMs[i] as number) - t0;
    sx += w.values[i] as number;
  }
  const mt = st / n;
  const mx = sx / n;
  let stt = 0;
  let stx = 0;
  for (let i = 0; i < n; i++) {
    const dt = (byIndex ? i * 1000 : (w.timestampsMs[i] as number) - t0) - mt;
    stt += dt * dt;
    stx += dt * ((w.values[i] as number) - mx);
  }
  if (!(stt > 0)) return NO_TREND;
  const b = stx / stt;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const dt = (byIndex ? i * 1000 : (w.timestampsMs[i] as number) - t0) - mt;
    const r = (w.values[i] as number) - mx - b * dt;
    sse += r * r;
  }
  const se = Math.sqrt(sse / (n - 2) / stt);
  // A perfectly straight line has se = 0: report a large but finite t so JSON stays valid.
  const slopeT = se > 0 ? b / se : b === 0 ? 0 : Math.sign(b) * 1e6;
  return { slopePerSecond: b * 1000, slopeT: Math.max(-1e6, Math.min(1e6, slopeT)) };
}
