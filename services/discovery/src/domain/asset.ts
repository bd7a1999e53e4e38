/**
 * What one discovery source says about one asset. Sources disagree and fall silent; the registry
 * keeps one of these per (asset, source) and merges them (see `merge.ts`), so a source only ever
 * describes what it knows and leaves the rest `null` or empty.
 */

/** One source's view of one asset at one moment. Plain data: it is stored in the registry as is. */
export interface DiscoveredAsset {
  /** Stable asset id; the registry key and the Kafka key of the published record. */
  readonly assetId: string;
  /**
   * service, job_runner, external_api, or the source's own word; `null` when the source cannot
   * tell (telemetry cannot), so a lower-precedence source or the Avro default `service` applies.
   */
  readonly kind: string | null;
  /** Human name. */
  readonly name: string | null;
  /** Cloud or platform provider, lower-cased by the adapters because the router joins on it. */
  readonly provider: string | null;
  /** Region, lower-cased for the same reason. */
  readonly region: string | null;
  /** What jobs it can run; empty when the source does not say. */
  readonly capabilities: readonly string[];
  /** Compliance attestations; empty when the source does not say. */
  readonly complianceTags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Tenant that owns the asset, when the source says (an inventory entry's `tenant`, or the tenant
   * telemetry was accepted under); absent or null when it does not (and in states stored before tenants).
   */
  readonly tenant?: string | null;
  /** Name of the source (provider) that reported it; must be in the configured source catalog. */
  readonly source: string;
  /**
   * Epoch ms at which the source saw it: the poll time for snapshot sources, the ingest time of the
   * latest sample for telemetry (see `telemetry-implied.ts` for why not the sample's own clock).
   */
  readonly observedAtMs: number;
}

/** A snapshot source's full answer, or a telemetry source's latest batch, as handed to the registry. */
export interface SourceReport {
  /** The source's name; every asset in `assets` must carry the same `source`. */
  readonly source: string;
  /**
   * For a snapshot source, everything it currently reports: an asset missing here is no longer
   * reported by it. For a telemetry source, only the assets seen in this batch.
   */
  readonly assets: readonly DiscoveredAsset[];
}

/**
 * Collapses duplicates of one asset within one report to a single record: the latest
 * `observedAtMs` wins, and among equals the last in the list, which is the newest line of a batch.
 * Order of first appearance is kept so that output is deterministic.
 */
export function dedupeAssets(assets: readonly DiscoveredAsset[]): DiscoveredAsset[] {
  const byId = new Map<string, DiscoveredAsset>();
  for (const asset of assets) {
    const seen = byId.get(asset.assetId);
    if (seen === undefined || asset.observedAtMs >= seen.observedAtMs) byId.set(asset.assetId, asset);
  }
  return [...byId.values()];
}
