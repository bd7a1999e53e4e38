/**
 * Translation between the Avro contract and the decision core: a `JobRequest` record into the core's
 * job, and a core outcome into the `RoutingDecision` record and its audit entry. Pure.
 *
 * The core builds per-candidate rejection reasons lazily because listing 9,000 rejected candidates
 * costs more than the decision itself; the record therefore carries complete per-code counts and a
 * bounded list (the first `listed` rejections in registry order, which is asset-id order), and says
 * how many it left out.
 */
import type { JobRequest as JobRecord, RoutingDecision as DecisionRecord } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';
import type { JobPriority, JobRequest, RankedAsset, RoutingOutcome } from './domain/index';
import { CRITERIA } from './domain/index';

/** What a job gets when its record leaves a reference out. */
export interface JobDefaults {
  readonly costCeiling: number;
  readonly latencyObjectiveMs: number;
}

/**
 * The record's integer priority ("higher is more important", 0 by default) on the core's scale:
 * below 0 low, 0 normal, 1 high, 2 and above critical.
 */
export function priorityOf(priority: number): JobPriority {
  if (priority < 0) return 'low';
  if (priority === 0) return 'normal';
  return priority === 1 ? 'high' : 'critical';
}

/** The core's view of a job record. */
export function jobOf(record: JobRecord, defaults: JobDefaults): JobRequest {
  return {
    jobId: record.jobId, jobClass: record.jobClass, requiredCapabilities: record.capabilities, complianceTags: record.complianceTags,
    allowedRegions: record.allowedRegions, costCeilingPerUnit: record.costCeiling ?? defaults.costCeiling,
    latencyObjectiveMs: record.latencyObjectiveMs ?? defaults.latencyObjectiveMs, priority: priorityOf(record.priority),
  };
}

/**
 * Per-criterion weighted contributions, plus the anomaly penalty (negative) and the policy delta when
 * they apply, so that the values of the map add up to the score.
 */
export function breakdownOf(asset: RankedAsset): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of CRITERIA) out[c] = asset.score.criteria[c].contribution;
  if (asset.score.anomalyPenalty !== 0) out.anomalyPenalty = -asset.score.anomalyPenalty;
  if (asset.score.policyDelta !== 0) out.policyDelta = asset.score.policyDelta;
  return out;
}

/** The record published on `jobs.routed`; `tenant` is the job's, as the request carried it (null when unknown). */
export function decisionRecordOf(outcome: RoutingOutcome, jobClass: string, listed: number, tenant: string | null): DecisionRecord {
  const listedRejections = outcome.rejections.size > listed ? outcome.rejections.list().slice(0, listed) : outcome.rejections.list();
  const common = {
    jobId: outcome.jobId, reasoning: outcome.reasoning, decidedAtMs: outcome.decidedAtMs, jobClass, tenant,
    candidateCount: outcome.candidateCount,
    rejectionCounts: Object.fromEntries(Object.entries(outcome.rejectionCounts).filter(([, n]) => n > 0)),
    rejections: listedRejections.map((r) => ({ assetId: r.assetId, reasons: r.reasons.map((x) => `${x.code}: ${x.text}`) })),
    rejectionsOmitted: outcome.rejections.size - listedRejections.length,
  };
  if (outcome.outcome === 'refused') {
    return {
      ...common, outcome: 'refused', assetId: null, score: null, margin: null, breakdown: {}, fallbacks: [],
      runnerUpAssetId: null, runnerUpScore: null, eligibleCount: 0, refusalCause: outcome.cause,
    };
  }
  return {
    ...common, outcome: 'routed', assetId: outcome.chosen.assetId, score: outcome.chosen.score.total, margin: outcome.marginOverRunnerUp,
    breakdown: breakdownOf(outcome.chosen), fallbacks: outcome.fallbacks.map((f) => f.assetId),
    runnerUpAssetId: outcome.runnerUp?.assetId ?? null, runnerUpScore: outcome.runnerUp?.score.total ?? null,
    eligibleCount: outcome.eligibleCount, refusalCause: null,
  };
}

/** The audit entry that goes out with the decision, in the same send. */
export function auditEntryOf(outcome: RoutingOutcome, record: DecisionRecord): AuditEntry {
  const reasons = [outcome.reasoning, ...(outcome.outcome === 'refused' ? outcome.requestErrors : [])];
  const details = outcome.outcome === 'routed'
    ? {
      assetId: record.assetId, score: record.score, margin: record.margin, runnerUp: record.runnerUpAssetId, breakdown: record.breakdown,
      weights: outcome.weights, fallbacks: outcome.fallbacks.map((f) => ({ assetId: f.assetId, failureDomain: f.failureDomain })),
      eligibleCount: record.eligibleCount, candidateCount: record.candidateCount, rejectionCounts: record.rejectionCounts,
      policyResults: outcome.policyResults,
    }
    : {
      cause: outcome.cause, candidateCount: record.candidateCount, rejectionCounts: record.rejectionCounts, rejections: record.rejections,
      rejectionsOmitted: record.rejectionsOmitted, policyResults: outcome.policyResults,
    };
  return { kind: 'routing.decision', outcome: outcome.outcome, subjectId: outcome.jobId, reasons, details };
}
