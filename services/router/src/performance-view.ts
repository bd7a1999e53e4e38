/**
 * The rolling performance picture of each asset, folded from `telemetry.samples`: what the router
 * scores on (p95 latency, error rate, unit cost, saturation). Pure: no I/O, no clock.
 *
 * Windows are counted in samples and bounded in event time (the samples' own timestamps), never in
 * arrival time, so two replicas that read the same records build the same view whatever their speed.
 * Per-asset order is the partition's order (samples are keyed by asset id), which ingest has already
 * made monotonic per asset.
 */
import type { TelemetrySample } from '@maestro/contracts';
import type { PerformanceView } from './domain/index';

/** How much history one asset's view covers. */
export interface PerformanceWindow {
  /** Most samples per metric kept per asset. @default 20 */
  readonly maxSamples: number;
  /** Samples older than this behind the asset's newest sample drop out. @default 300000 */
  readonly maxAgeMs: number;
}

/** A view without the anomaly fields, which come from the anomalies topic. */
export type MeasuredPerformance = Omit<PerformanceView, 'anomalyActive' | 'anomalySeverity'>;

interface Series {
  readonly atMs: number[];
  readonly values: number[];
}

interface AssetWindow {
  newestMs: number;
  latency: Series;
  errorRate: Series;
  /** Latest reading only: a price or a fill level is a level, not a distribution. */
  unitCost: number;
  saturation: number;
}

/** Rolling windows for every asset seen on the samples topic. */
export interface PerformanceViews {
  /** Folds samples in order; returns the ids of assets whose view changed. */
  observe(samples: readonly TelemetrySample[]): Set<string>;
  /** The asset's measured view; numbers it never reported are NaN (the pool marks it unscorable). */
  viewOf(assetId: string): MeasuredPerformance;
  readonly size: number;
}

/** Nearest-rank p95: an observed value, never an interpolation between two. */
export function p95(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function push(series: Series, atMs: number, value: number | undefined, window: PerformanceWindow): void {
  if (value === undefined || !Number.isFinite(value)) return;
  series.atMs.push(atMs);
  series.values.push(value);
  if (series.values.length > window.maxSamples) {
    series.atMs.shift();
    series.values.shift();
  }
}

function trim(series: Series, newestMs: number, window: PerformanceWindow): void {
  while (series.atMs.length > 0 && series.atMs[0]! < newestMs - window.maxAgeMs) {
    series.atMs.shift();
    series.values.shift();
  }
}

/** Creates an empty set of windows. */
export function createPerformanceViews(window: PerformanceWindow): PerformanceViews {
  const byAsset = new Map<string, AssetWindow>();
  return {
    observe(samples) {
      const changed = new Set<string>();
      for (const s of samples) {
        let w = byAsset.get(s.assetId);
        if (!w) {
          w = { newestMs: -Infinity, latency: { atMs: [], values: [] }, errorRate: { atMs: [], values: [] }, unitCost: Number.NaN, saturation: Number.NaN };
          byAsset.set(s.assetId, w);
        }
        // A redelivered or late sample cannot rewind the window.
        if (s.timestampMs <= w.newestMs) continue;
        w.newestMs = s.timestampMs;
        const m = s.metrics;
        push(w.latency, s.timestampMs, m.latency_ms, window);
        push(w.errorRate, s.timestampMs, m.error_rate, window);
        trim(w.latency, w.newestMs, window);
        trim(w.errorRate, w.newestMs, window);
        if (m.unit_cost !== undefined) w.unitCost = m.unit_cost;
        // Saturation when the asset reports it, else CPU as the closest measure of used capacity.
        const fill = m.saturation ?? m.cpu;
        if (fill !== undefined) w.saturation = fill;
        changed.add(s.assetId);
      }
      return changed;
    },
    viewOf(assetId) {
      const w = byAsset.get(assetId);
      if (!w) return { latencyP95Ms: Number.NaN, errorRate: Number.NaN, unitCost: Number.NaN, saturation: Number.NaN };
      return { latencyP95Ms: p95(w.latency.values), errorRate: mean(w.errorRate.values), unitCost: w.unitCost, saturation: w.saturation };
    },
    get size() {
      return byAsset.size;
    },
  };
}
