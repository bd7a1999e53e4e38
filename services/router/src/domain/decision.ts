/** The router's output: a routing decision with its full explanation, or a structured refusal. */
import type { FailureDomain } from './fallbacks';
import type { JobPriority } from './job';
import type { PolicyRecord } from './policy';
import type { RejectionCode } from './reasons';
import type { RejectionLog } from './rejection-log';
import type { ScoreBreakdown } from './score';
import type { Weights } from './weights';

/** A scored asset as reported in a decision. */
export interface RankedAsset {
  readonly assetId: string;
  readonly provider: string;
  readonly region: string;
  readonly score: ScoreBreakdown;
}

/** A fallback and how far its failure domain is from the primary's. */
export interface FallbackAsset extends RankedAsset {
  readonly failureDomain: FailureDomain;
}

/** Fields shared by decisions and refusals: the audit trail of every candidate. */
interface OutcomeBase {
  readonly jobId: string;
  readonly decidedAtMs: number;
  readonly candidateCount: number;
  /** Every rejected candidate with every reason, in registry-snapshot order (materialised on read). */
  readonly rejections: RejectionLog;
  /** Rejected candidates per code; a candidate with several codes counts under each. */
  readonly rejectionCounts: Readonly<Record<RejectionCode, number>>;
  /** Every deny and adjust, plus every verdict on the assets reported (chosen, runner-up, fallbacks). */
  readonly policyResults: readonly PolicyRecord[];
  /** One readable paragraph explaining the outcome, for logs and audit views. */
  readonly reasoning: string;
}

/** A routed job. */
export interface RoutingDecision extends OutcomeBase {
  readonly outcome: 'routed';
  readonly jobClass: string;
  readonly priority: JobPriority;
  readonly weights: Weights;
  readonly chosen: RankedAsset;
  readonly runnerUp: RankedAsset | null;
  /** chosen total minus runner-up total; null when only one candidate was eligible. */
  readonly marginOverRunnerUp: number | null;
  readonly fallbacks: readonly FallbackAsset[];
  readonly eligibleCount: number;
}

/** Why a refusal happened at the level of the whole request. */
export const REFUSAL_CAUSES = ['invalid_request', 'no_candidates', 'no_eligible_candidate'] as const;

/** Why a job could not be routed. */
export type RefusalCause = (typeof REFUSAL_CAUSES)[number];

/** A job that cannot be routed, with why each candidate failed. */
export interface RoutingRefusal extends OutcomeBase {
  readonly outcome: 'refused';
  readonly cause: RefusalCause;
  /** Problems with the request itself (cause `invalid_request`); empty otherwise. */
  readonly requestErrors: readonly string[];
}

/** What `routeJob` returns. */
export type RoutingOutcome = RoutingDecision | RoutingRefusal;
