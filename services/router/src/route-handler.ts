/**
 * The job handler: one batch of `jobs.requests`, each job routed against its tenant's current pool, published as one
 * send of decisions (`jobs.routed`, keyed by job id) and their audit records. A failed send throws,
 * so the batch is retried and nothing is committed; a redelivered job is routed again, and since a
 * decision is a function of the view, a consumer of `jobs.routed` keeps the latest record per job.
 */
import type { BatchHandler, OutboundRecord } from '@maestro/bus';
import type { JobRequest as JobRecord, RoutingDecision as DecisionRecord } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';
import type { CandidatePool, PolicyHook, RouterConfig } from './domain/index';
import { routeJob, tenantOf } from './domain/index';
import type { RoutingView } from './registry-view';
import { auditEntryOf, decisionRecordOf, jobOf, type JobDefaults } from './routing-records';

/** Thrown while the view is still loading: the consumer retries the batch with backoff (and heartbeats). */
export class ViewNotReadyError extends Error {
  override readonly name = 'ViewNotReadyError';
}

export interface RouteHandlerDeps {
  view: RoutingView;
  config: RouterConfig;
  hooks: readonly PolicyHook[];
  defaults: JobDefaults;
  /** Rejections listed by name per record. */
  listedRejections: number;
  /** Resolves true once the view has read the registry to its end; false on timeout. */
  waitForView(timeoutMs: number): Promise<boolean>;
  publish(decisions: OutboundRecord<DecisionRecord>[], audits: AuditEntry[]): Promise<void>;
  now(): number;
}

/**
 * Longest a batch waits for the view inside the handler before failing for a retry. Short enough to
 * stay well inside the session timeout (the runner heartbeats only between attempts).
 */
const VIEW_WAIT_MS = 5_000;

export function createRouteHandler(deps: RouteHandlerDeps): BatchHandler<JobRecord> {
  return async (records) => {
    // Routing against a half-loaded registry would refuse or misplace jobs that a caught-up replica
    // routes correctly, and two replicas would disagree.
    if (!(await deps.waitForView(VIEW_WAIT_MS))) throw new ViewNotReadyError('the routing view has not caught up with the assets topic yet');
    const nowMs = deps.now();
    // Each job is decided against its own tenant's pool only (registry-view.ts), read once per batch.
    const pools = new Map<string, CandidatePool>();
    const poolOf = (tenant: string | null): CandidatePool => {
      const owner = tenantOf(tenant);
      let pool = pools.get(owner);
      if (!pool) pools.set(owner, pool = deps.view.poolAt(nowMs, owner));
      return pool;
    };
    const decisions: OutboundRecord<DecisionRecord>[] = [];
    const audits: AuditEntry[] = [];
    for (const { value, trace } of records) {
      const outcome = routeJob({ job: jobOf(value, deps.defaults), pool: poolOf(value.tenant), config: deps.config, hooks: deps.hooks, nowMs });
      const record = decisionRecordOf(outcome, value.jobClass, deps.listedRejections, value.tenant);
      decisions.push({ key: value.jobId, value: record, trace });
      audits.push({ ...auditEntryOf(outcome, record), trace });
    }
    await deps.publish(decisions, audits);
  };
}
