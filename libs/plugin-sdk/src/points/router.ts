/**
 * The router's extension point: a policy hook evaluated for every candidate asset that passed the
 * hard filters, for every job. It runs inside the router's pure, allocation-free decision (10,000
 * candidates in a few milliseconds), so it answers synchronously and fast; the router may call it
 * twice for one candidate (to explain the chosen asset) and relies on the same answer.
 */

/** The job being placed. */
export interface RouterJob {
  readonly jobId: string;
  readonly jobClass: string;
  readonly requiredCapabilities: readonly string[];
  readonly complianceTags: readonly string[];
  /** Empty means any region. */
  readonly allowedRegions: readonly string[];
  readonly costCeilingPerUnit: number;
  readonly latencyObjectiveMs: number;
  /** `low`, `normal`, `high` or `critical`. */
  readonly priority: string;
}

/** One candidate asset, as the registry and telemetry describe it. */
export interface RouterCandidate {
  readonly assetId: string;
  readonly provider: string;
  readonly region: string;
  readonly capabilities: readonly string[];
  readonly complianceTags: readonly string[];
  /** `active`, `stale` or `removed`; only active ones reach a hook. */
  readonly status: string;
  readonly performance: {
    readonly latencyP95Ms: number;
    /** In [0, 1]. */
    readonly errorRate: number;
    readonly unitCost: number;
    /** In [0, 1]. */
    readonly saturation: number;
    readonly anomalyActive: boolean;
    readonly anomalySeverity: number;
  };
}

/** What a router hook sees. Valid only during the call: copy what you keep. */
export interface RouterPolicyContext {
  readonly job: RouterJob;
  readonly candidate: RouterCandidate;
  /** Weighted score before policy adjustments. */
  readonly baseScore: number;
  readonly nowMs: number;
}

/** A router hook's answer; `scoreDelta` applies to `adjust` only. */
export interface RouterPolicyResult {
  readonly verdict: 'allow' | 'deny' | 'adjust';
  readonly reasons: readonly string[];
  readonly scoreDelta?: number;
}

/** A placement rule (compliance, governance, business preference). */
export interface RouterPolicyHook {
  readonly name: string;
  evaluate(ctx: RouterPolicyContext): RouterPolicyResult;
}
