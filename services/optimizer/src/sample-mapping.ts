/**
 * From a telemetry sample to the optimiser core's OptimizationSample. Pure; the decisions below are
 * the contract between producers and the optimiser, so they are spelled out here:
 *
 * - Load: `saturation` when the sample carries it, else `cpu` (both ratios in [0, 1]). A sample with
 *   neither says nothing about capacity and is skipped, not rejected: the same topic carries
 *   latency-only samples that the detector and healer use.
 * - `latency_ms` feeds both the core's p50 and p95 series: the telemetry vocabulary carries one
 *   latency figure per sample (the producer's own aggregate), and the core's percentiles come from
 *   its rolling window and histogram, not from one sample.
 * - `throughput_rps`, `unit_cost`, `queue_depth` map one to one. An absent one is read as 0, which
 *   is neutral in every rule (the HPA rule takes a max over signals, 0 never breaches a latency or
 *   cost target) and never invents pressure.
 * - Replicas come from the `replicas` label (every replica running, serving or still starting: the
 *   count a recommendation's target compares with), the serving ones from `ready_replicas` (the
 *   replicas `saturation` is the mean over; absent: the core works it out, domain/ready-count.ts),
 *   size per replica from `size_units`; when absent, the asset's last known value, else 1 (a single
 *   instance of size 1, so right-size reads as a multiple of the current size). A present but
 *   malformed label is rejected: retrying cannot fix it.
 * - Custom signals come from labels `signal.<name>` = `<value>/<target>` or
 *   `<value>/<target>@<weight>` (weight defaults to 1): labels are the only free-form channel ingest
 *   carries, and putting the target beside the value lets each asset's own system say what it wants.
 */
import type { TelemetrySample } from '@maestro/contracts';
import { validateSample, type CustomSignal, type OptimizationSample } from './domain';

/** Label holding the replica count the asset runs. */
export const REPLICAS_LABEL = 'replicas';
/** Label holding how many of the replicas serve (the rest are starting). */
export const READY_REPLICAS_LABEL = 'ready_replicas';
/** Label holding the allocated size per replica (e.g. vCPU). */
export const SIZE_LABEL = 'size_units';
/** Prefix of labels that carry custom signals. */
export const SIGNAL_LABEL_PREFIX = 'signal.';

/** What the optimiser already knows about an asset, used when a sample omits a label. */
export interface KnownShape {
  readonly replicas: number;
  readonly sizeUnits: number;
}

/** The outcome of mapping one record. */
export type MappedSample =
  | { readonly kind: 'sample'; readonly sample: OptimizationSample }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const SIGNAL_VALUE = /^([^/@\s]+)\/([^/@\s]+)(?:@([^/@\s]+))?$/;

function parseSignal(name: string, raw: string): CustomSignal | string {
  const m = SIGNAL_VALUE.exec(raw.trim());
  if (!m || name.length === 0) return `label ${SIGNAL_LABEL_PREFIX}${name}="${raw}" is not <value>/<target>[@<weight>]`;
  const [value, target, weight] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  if (![value, target, weight].every(Number.isFinite)) return `label ${SIGNAL_LABEL_PREFIX}${name}="${raw}" has a non-numeric part`;
  return { name, value, target, weight };
}

/** Maps one telemetry sample; `known` is the asset's stored shape, or null for a new asset. */
export function toOptimizationSample(t: TelemetrySample, known: KnownShape | null): MappedSample {
  const load = t.metrics['saturation'] ?? t.metrics['cpu'];
  if (load === undefined) return { kind: 'skip', reason: 'no saturation or cpu metric' };

  const problems: string[] = [];
  let replicas = known?.replicas ?? 1;
  const replicasRaw = t.labels[REPLICAS_LABEL];
  if (replicasRaw !== undefined) {
    if (/^\d+$/.test(replicasRaw.trim())) replicas = Number(replicasRaw);
    else problems.push(`label ${REPLICAS_LABEL}="${replicasRaw}" is not an integer`);
  }
  let readyReplicas: number | undefined;
  const readyRaw = t.labels[READY_REPLICAS_LABEL];
  if (readyRaw !== undefined) {
    if (/^\d+$/.test(readyRaw.trim())) readyReplicas = Number(readyRaw);
    else problems.push(`label ${READY_REPLICAS_LABEL}="${readyRaw}" is not an integer`);
  }
  let sizeUnits = known?.sizeUnits ?? 1;
  const sizeRaw = t.labels[SIZE_LABEL];
  if (sizeRaw !== undefined) {
    const n = sizeRaw.trim() === '' ? NaN : Number(sizeRaw);
    if (Number.isFinite(n)) sizeUnits = n;
    else problems.push(`label ${SIZE_LABEL}="${sizeRaw}" is not a number`);
  }
  const signals: CustomSignal[] = [];
  for (const [key, raw] of Object.entries(t.labels)) {
    if (!key.startsWith(SIGNAL_LABEL_PREFIX)) continue;
    const parsed = parseSignal(key.slice(SIGNAL_LABEL_PREFIX.length), raw);
    if (typeof parsed === 'string') problems.push(parsed);
    else signals.push(parsed);
  }
  // Stable order, so that the same labels always give the same state and evidence.
  signals.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const latency = t.metrics['latency_ms'] ?? 0;
  const sample: OptimizationSample = {
    assetId: t.assetId, atMs: t.timestampMs, latencyP50Ms: latency, latencyP95Ms: latency,
    throughputPerS: t.metrics['throughput_rps'] ?? 0, unitCost: t.metrics['unit_cost'] ?? 0,
    saturation: load, queueDepth: t.metrics['queue_depth'] ?? 0, replicas, sizeUnits, signals,
    ...(readyReplicas === undefined ? {} : { readyReplicas }),
  };
  problems.push(...validateSample(sample));
  return problems.length > 0 ? { kind: 'invalid', reason: problems.join('; ') } : { kind: 'sample', sample };
}
