/**
 * Discovery's extension point: a snapshot source of assets (a CMDB, a cloud inventory, Kubernetes)
 * polled every DISCOVERY_POLL_INTERVAL_MS. It may take its time and do I/O: it is called with a
 * deadline, and a source that fails or misses it keeps serving its last good snapshot for a while,
 * exactly like the built-in file and HTTP sources.
 */

/**
 * One asset as a source lists it: the same format as DISCOVERY_STATIC_FILE entries. Only `assetId`
 * is required; a bad entry is skipped with its reasons and the rest stand.
 */
export interface AssetEntry {
  readonly assetId: string;
  readonly kind?: string;
  readonly name?: string;
  readonly provider?: string;
  readonly region?: string;
  readonly capabilities?: readonly string[];
  readonly complianceTags?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly tenant?: string;
}

/** What a poll is given. */
export interface DiscoveryPollContext {
  readonly nowMs: number;
  /** Aborted when the poll's deadline passes: stop the I/O it started. */
  readonly signal: AbortSignal;
}

/** A source polled for its full list of assets. */
export interface DiscoveryProvider {
  /** Source name; the registry calls it `<plugin>.<name>` in `AssetEvent.sources` and audit records. */
  readonly name: string;
  /** Higher wins field-wise disagreements between sources (static file 300, HTTP 200, telemetry 100). @default 150 */
  readonly precedence?: number;
  /** Everything the source lists now. */
  list(ctx: DiscoveryPollContext): Promise<readonly AssetEntry[]>;
}
