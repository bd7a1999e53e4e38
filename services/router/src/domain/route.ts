/**
 * The routing decision: hard filters, weighted score, inline policy, deterministic ranking,
 * fallbacks from other failure domains, and the record explaining all of it. Pure: the same job,
 * pool, config, hooks and `nowMs` always give the same outcome.
 *
 * Cost model: one pass over the pool reading typed arrays, four per-decision typed arrays, and
 * allocation proportional to what is reported (chosen, runner-up, fallbacks, policy denies/adjusts),
 * not to the number of rejected candidates (see `rejection-log.ts`).
 */
import type { CandidatePool, RoutingScratch } from './candidate-pool';
import { allocScratch } from './candidate-pool';
import type { RouterConfig } from './config';
import type { FallbackAsset, RankedAsset, RoutingOutcome, RoutingRefusal, RefusalCause } from './decision';
import { selectFallbacks } from './fallbacks';
import type { CompiledJobFilter } from './filters';
import { compileJobFilter, filterMask } from './filters';
import type { JobRequest } from './job';
import { validateJob } from './job';
import type { PolicyHook, PolicyRecord } from './policy';
import { DENIED, runHooks } from './policy';
import { topTwo } from './ranking';
import { REJECTION_BIT } from './reasons';
import type { RejectionLog } from './rejection-log';
import { EMPTY_REJECTION_LOG, createRejectionLog } from './rejection-log';
import { explainDecision, explainRefusal } from './reasoning';
import { baseTotal, breakdown } from './score';
import type { Weights } from './weights';

/** Everything one decision depends on. */
export interface RouteInput {
  readonly job: JobRequest;
  readonly pool: CandidatePool;
  readonly config: RouterConfig;
  /** Evaluated in order for every candidate that passes the hard filters. @default [] */
  readonly hooks?: readonly PolicyHook[];
  readonly nowMs: number;
}

function refuse(input: RouteInput, cause: RefusalCause, requestErrors: string[], rejections: RejectionLog, policyResults: PolicyRecord[]): RoutingRefusal {
  return {
    outcome: 'refused', cause, requestErrors, jobId: input.job.jobId, decidedAtMs: input.nowMs, candidateCount: input.pool.size,
    rejections, rejectionCounts: rejections.counts, policyResults,
    reasoning: explainRefusal(input.job, input.pool.size, rejections, rejections.counts, requestErrors),
  };
}

/** Routes one job. Never throws for a bad or unroutable job: it returns a refusal. */
export function routeJob(input: RouteInput): RoutingOutcome {
  const { job, pool, config } = input;
  const hooks = input.hooks ?? [];
  const requestErrors = validateJob(job);
  if (requestErrors.length > 0) return refuse(input, 'invalid_request', requestErrors, EMPTY_REJECTION_LOG, []);
  if (pool.size === 0) return refuse(input, 'no_candidates', [], EMPTY_REJECTION_LOG, []);

  const weights = config.weightsFor(job.jobClass);
  const filter: CompiledJobFilter = compileJobFilter(pool, job, config.maxAnomalySeverity);
  const scratch = pool.scratch.busy ? allocScratch(pool.size) : pool.scratch;
  scratch.busy = true;
  try {
    return decide(input, hooks, weights, filter, scratch);
  } finally {
    scratch.busy = false;
  }
}

function decide(input: RouteInput, hooks: readonly PolicyHook[], weights: Weights, filter: CompiledJobFilter, scratch: RoutingScratch): RoutingOutcome {
  const { job, pool, config, nowMs } = input;
  const { totals, policyDelta, masks, eligible, rejected } = scratch;
  let eligibleCount = 0;
  let rejectedCount = 0;
  const denials = new Map<number, PolicyRecord[]>();
  const policyResults: PolicyRecord[] = [];
  // One mutable context for all candidates (hooks are told it is valid only during the call).
  const ctx = { job, candidate: pool.assets[0]!, baseScore: 0, nowMs };

  for (let i = 0; i < pool.size; i++) {
    const mask = filterMask(pool, i, filter);
    if (mask !== 0) {
      masks[rejectedCount] = mask;
      rejected[rejectedCount++] = i;
      continue;
    }
    const base = baseTotal(pool, i, weights, job.costCeilingPerUnit, job.latencyObjectiveMs, config);
    if (hooks.length > 0) {
      ctx.candidate = pool.assets[i]!;
      ctx.baseScore = base;
      const before = policyResults.length;
      const delta = runHooks(hooks, ctx, policyResults, false);
      if (delta === DENIED) {
        masks[rejectedCount] = REJECTION_BIT.policy_denied;
        rejected[rejectedCount++] = i;
        denials.set(i, policyResults.slice(before).filter((r) => r.verdict === 'deny'));
        continue;
      }
      policyDelta[i] = delta;
    } else policyDelta[i] = 0;
    totals[i] = base + policyDelta[i]!;
    eligible[eligibleCount++] = i;
  }
  // The log keeps exact-size copies: the scratch columns are reused by the next decision.
  const rejections = createRejectionLog(pool, filter, masks.slice(0, rejectedCount), rejected.slice(0, rejectedCount), denials);
  if (eligibleCount === 0) return refuse(input, 'no_eligible_candidate', [], rejections, policyResults);

  const [best, second] = topTwo(pool, totals, eligible, eligibleCount, config.tieEpsilon);
  const picks = selectFallbacks(pool, totals, eligible, eligibleCount, best, config.fallbackCount, config.tieEpsilon);

  const ranked = (i: number): RankedAsset => {
    const a = pool.assets[i]!;
    const score = breakdown(pool, i, weights, job.costCeilingPerUnit, job.latencyObjectiveMs, config, policyDelta[i]!);
    return { assetId: a.assetId, provider: a.provider, region: a.region, score };
  };
  // Hooks are pure, so re-running them on the few reported assets recovers their allow verdicts
  // without recording an allow for each of 10,000 candidates.
  const reported = [best, ...(second >= 0 ? [second] : []), ...picks.map((p) => p.index)];
  for (const i of new Set(reported)) {
    const again: PolicyRecord[] = [];
    runHooks(hooks, { job, candidate: pool.assets[i]!, baseScore: totals[i]! - policyDelta[i]!, nowMs }, again, true);
    for (const r of again) if (r.verdict === 'allow') policyResults.push(r);
  }

  const chosen = ranked(best);
  const runnerUp = second >= 0 ? ranked(second) : null;
  const marginOverRunnerUp = runnerUp ? chosen.score.total - runnerUp.score.total : null;
  const fallbacks: FallbackAsset[] = picks.map((p) => ({ ...ranked(p.index), failureDomain: p.failureDomain }));
  return {
    outcome: 'routed', jobId: job.jobId, jobClass: job.jobClass, priority: job.priority, decidedAtMs: nowMs, weights,
    chosen, runnerUp, marginOverRunnerUp, fallbacks, eligibleCount, candidateCount: pool.size,
    rejections, rejectionCounts: rejections.counts, policyResults,
    reasoning: explainDecision(job, chosen, runnerUp, marginOverRunnerUp, fallbacks, eligibleCount, pool.size, rejections.counts, policyResults),
  };
}
