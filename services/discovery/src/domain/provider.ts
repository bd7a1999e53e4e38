/**
 * The ports through which assets reach the registry. Two kinds, because sources answer two
 * different questions: a snapshot provider says "this is everything I know" when polled, a
 * telemetry provider says "these were alive just now" when samples arrive.
 */
import type { TelemetrySample } from '@maestro/contracts';
import type { DiscoveredAsset } from './asset';
import type { SourceSpec } from './config';
import type { ProviderProblem } from './provider-problems';

/** How the latest poll went. */
export type PollOutcome =
  /** The source answered; its snapshot is served. */
  | 'fresh'
  /** The source failed; the last good snapshot, still within its keep window, is served. */
  | 'cached'
  /** The source failed and its last good snapshot is too old: an empty snapshot is served. */
  | 'expired'
  /** The source has never answered and is within its startup grace: the poll rejected. */
  | 'unavailable';

/** The outcome of one poll, for logs and metrics. */
export interface PollReport {
  readonly source: string;
  readonly atMs: number;
  readonly outcome: PollOutcome;
  /** Assets served (0 when the poll rejected). */
  readonly assetCount: number;
  /** When the served snapshot was read; `null` when none ever was. */
  readonly lastGoodAtMs: number | null;
  /** Poll and entry problems; empty for a clean poll. */
  readonly problems: readonly ProviderProblem[];
}

/** A source polled for its full list of assets (a static file, a CMDB endpoint, a cloud API). */
export interface DiscoveryProvider {
  /** The source name, also its catalog key and its name in `AssetEvent.sources`. */
  readonly name: string;
  /** Higher wins field-wise disagreements (see `merge.ts`). */
  readonly precedence: number;
  /**
   * Everything the source lists now. Never rejects for a bad answer: it serves its last good
   * snapshot for a while, then an empty one (see `PollOutcome`); it rejects with
   * `DiscoveryProviderError` only while it has never answered, so the registry keeps what the source
   * said before a restart.
   */
  poll(nowMs: number): Promise<DiscoveredAsset[]>;
  /** The report of the latest poll; `null` before the first. */
  lastPoll(): PollReport | null;
}

/** A source that implies assets from the telemetry stream. Pure. */
export interface TelemetryDiscoveryProvider {
  readonly name: string;
  readonly precedence: number;
  /** The assets seen in one batch of samples, one per asset. */
  observeSamples(samples: readonly TelemetrySample[]): DiscoveredAsset[];
}

/**
 * The source catalog implied by the providers, so each source's precedence is stated once, on the
 * provider. Feed it to `resolveDiscoveryConfig({ sources })`.
 */
export function sourcesOf(
  snapshotProviders: readonly DiscoveryProvider[],
  telemetryProviders: readonly TelemetryDiscoveryProvider[],
): SourceSpec[] {
  return [
    ...snapshotProviders.map((p) => ({ name: p.name, precedence: p.precedence, mode: 'snapshot' as const })),
    ...telemetryProviders.map((p) => ({ name: p.name, precedence: p.precedence, mode: 'telemetry' as const })),
  ];
}
