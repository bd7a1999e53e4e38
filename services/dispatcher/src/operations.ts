/**
 * The dispatcher's protocol operations: dispatch.next, outcome.report, credit.trace and the method
 * allocate, plus the lease sweep. Each loads the charter's executions and the planner's charter in
 * one MGET (the committed versions in a second one, only when a commit is new), decides with the
 * pure cores, and returns the reply with the change of state to commit and produce. Every commit
 * keeps a sorted set of charters by next lease expiry in step, from which any replica's timer asks
 * for `dispatch.expire` (./service.ts).
 */
import type { ProtocolRequest } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';
import type { Keyspace, Redis } from '@maestro/state';
import { replan, traceCredit } from '../../planner/src/domain';
import { planKeys, type CharterState, type GoalVersionState } from '../../planner/src/plan-state';
import { charterScope, infra, ok, refused, type Decision, type Operation } from '@maestro/protocol';
import {
  applyReplan, cancelExecution, creditInput, dispatchMany, expireLeases, findWorkOrder, replanArguments, reportOutcome, startExecution, summarize,
  type DispatchEvent, type DispatchRefusalCode, type DispatcherConfig, type WorkOrder,
} from './domain';
import { executionKey, executionScope, executionWrite, isLive, leaseIndexChange, nextLeaseExpiry, readExecutions, type CharterExecutions, type GoalExecution } from './execution-store';

/** Dispatcher refusal codes as the gateway's catalog (services/gateway/src/domain/errors.ts) knows them. */
const GATEWAY_CODE: Record<DispatchRefusalCode, string> = {
  invalid_plan: 'invalid_input',
  invalid_request: 'invalid_input',
  no_ready_step: 'not_found',
  executor_not_allowed: 'policy_denied',
  executor_ineligible: 'missing_premise',
  replan_pending: 'unrecoverable_failure',
  plan_complete: 'version_conflict',
  plan_cancelled: 'version_conflict',
  unknown_work_order: 'not_found',
  stale_work_order: 'version_conflict',
  conflicting_outcome: 'version_conflict',
};

/** Refusals of dispatch.next that mean "nothing for you now": answered ok with no work order. */
const IDLE = new Set<DispatchRefusalCode>(['no_ready_step', 'replan_pending', 'executor_ineligible', 'plan_complete', 'plan_cancelled']);

export interface DispatcherDeps {
  redis: Redis;
  keys: Keyspace;
  now(): number;
  config: Partial<DispatcherConfig>;
}


export function createDispatcherOperations(deps: DispatcherDeps) {
  const { redis, keys } = deps;
  const planner = planKeys(keys);

  const audit = (charterId: string, goalId: string, events: readonly DispatchEvent[]): AuditEntry[] =>
    events.map((e) => ({ kind: `dispatch.${e.type}`, outcome: e.type === 'request_refused' ? 'refused' : 'ok', subjectId: charterId, reasons: 'reason' in e ? [e.reason] : [], details: { goalId, ...e } }));

  /** The caller's tenant's charter of the request's id: its executions and the planner's record. */
  async function load(request: ProtocolRequest): Promise<{ state: CharterExecutions | null; plannerCharter: CharterState | null }> {
    const scope = charterScope(request.tenant, request.charterId);
    const [execution, charter] = await infra(redis.mget(executionKey(keys, scope), planner.charter(scope)));
    return { state: await readExecutions(redis, keys, execution), plannerCharter: charter ? (JSON.parse(charter) as CharterState) : null };
  }

  /**
   * The charter's executions brought in line with the planner's committed versions: a first commit
   * starts an execution; a committed re-plan of the running version is applied in place; any other
   * newer commit cancels the running execution and starts the new version.
   */
  async function sync(charterId: string, state: CharterExecutions | null, plannerCharter: CharterState | null, goalId: string | undefined, nowMs: number, audits: AuditEntry[]): Promise<CharterExecutions | null> {
    if (!plannerCharter) return state;
    let next: CharterExecutions = state
      ? { ...state, charter: plannerCharter.charter, executors: plannerCharter.executors }
      : { revision: 0, charterId, tenant: plannerCharter.tenant, updatedAtMs: nowMs, charter: plannerCharter.charter, executors: plannerCharter.executors, executions: [] };
    const stale = plannerCharter.goals.filter((g) => g.committedVersion !== null && (goalId === undefined || g.goalId === goalId)
      && (next.executions.find((e) => e.goalId === g.goalId)?.version ?? 0) < g.committedVersion);
    if (stale.length === 0) return next;
    const raw = await infra(redis.mget(stale.map((g) => planner.version(charterScope(plannerCharter.tenant, charterId), g.goalId, g.committedVersion!))));
    const executions = [...next.executions];
    stale.forEach((g, i) => {
      const text = raw[i];
      if (!text) return; // the planner's working copy is being rebuilt; the next call picks it up
      const version = JSON.parse(text) as GoalVersionState;
      const at = executions.findIndex((e) => e.goalId === g.goalId);
      const current = at >= 0 ? executions[at]! : undefined;
      if (current && isLive(current) && version.replan?.basedOnVersion === current.version) {
        const applied = applyReplan(current.state, version.replan.result, nowMs);
        if (applied.ok) {
          executions[at] = { ...current, version: version.version, state: applied.state, replans: current.replans + 1 };
          audits.push(...audit(charterId, g.goalId, applied.events));
          return;
        }
      }
      if (current && isLive(current)) {
        const cancelled = cancelExecution(current.state, `version ${version.version} was committed`, nowMs);
        audits.push(...audit(charterId, g.goalId, cancelled.events));
      }
      const started = startExecution({ planId: `${g.goalId}.v${version.version}`, goal: version.goal, plan: version.plan, charter: plannerCharter.charter, startedAtMs: nowMs, config: deps.config });
      if (!started.ok) {
        audits.push({ kind: 'dispatch.execution_refused', outcome: 'refused', subjectId: charterId, reasons: [...started.refusal.reasons], details: { goalId: g.goalId, version: version.version } });
        return;
      }
      audits.push(...audit(charterId, g.goalId, started.events));
      const execution: GoalExecution = { goalId: g.goalId, version: version.version, state: started.state, replans: 0 };
      if (at >= 0) executions[at] = execution;
      else executions.push(execution);
    });
    next = { ...next, executions };
    return next;
  }

  /** After an outcome: a step failed for good is re-planned in-process with the planner's pure core. */
  function recover(next: CharterExecutions, execution: GoalExecution, nowMs: number, audits: AuditEntry[]): { execution: GoalExecution; replan: unknown } {
    const args = replanArguments(execution.state, nowMs);
    const outcome = replan(args.goal, next.executors, next.charter, args.previous, args.progress, args.now);
    if (outcome.ok) {
      const applied = applyReplan(execution.state, outcome.plan, nowMs);
      if (applied.ok) {
        audits.push(...audit(next.charterId, execution.goalId, applied.events));
        return { execution: { ...execution, state: applied.state, replans: execution.replans + 1 }, replan: { applied: true, compensations: outcome.plan.compensations, retried: outcome.plan.retried } };
      }
    }
    const refusal = outcome.ok ? { code: 'unrecoverable_failure', reasons: ['the re-plan could not be applied'] } : outcome.refusal;
    audits.push({ kind: 'dispatch.replan_refused', outcome: 'refused', subjectId: next.charterId, reasons: [...refusal.reasons], details: { goalId: execution.goalId, code: refusal.code } });
    const cancelled = cancelExecution(execution.state, `re-plan refused (${refusal.code}): ${refusal.reasons.join('; ')}`, nowMs);
    audits.push(...audit(next.charterId, execution.goalId, cancelled.events));
    return { execution: { ...execution, state: cancelled.state }, replan: { applied: false, code: refusal.code, reasons: refusal.reasons } };
  }

  /** The charter's next revision: its commit (state and lease index) and its record. */
  function write(state: CharterExecutions, nowMs: number): Pick<Decision, 'batches' | 'commit'> {
    const next = { ...state, revision: state.revision + 1, updatedAtMs: nowMs };
    return executionWrite(keys, state.revision, next, nextLeaseExpiry(next, nowMs));
  }

  function notFound(request: ProtocolRequest, what = `charter '${request.charterId}'`): Decision {
    return refused('not_found', [`${what} does not exist in tenant '${request.tenant}'`], { charterId: request.charterId });
  }

  /** Loads, checks the tenant and syncs with the planner's commits. */
  async function prepare(request: ProtocolRequest, goalId: string | undefined, nowMs: number, audits: AuditEntry[]): Promise<CharterExecutions | Decision> {
    const { state, plannerCharter } = await load(request);
    const owner = plannerCharter?.tenant ?? state?.tenant;
    if (owner !== request.tenant) return notFound(request);
    const next = await sync(request.charterId, state, plannerCharter, goalId, nowMs, audits);
    return next ?? notFound(request);
  }

  /** Work orders for each executor in turn, so that no step goes to two of them. */
  const allocate = (executorIdsOf: (p: Record<string, unknown>) => string[], perExecutor: (p: Record<string, unknown>) => number): Operation => async (request, payload) => {
    const goalId = payload.goalId as string | undefined;
    const nowMs = deps.now();
    const audits: AuditEntry[] = [];
    const prepared = await prepare(request, goalId, nowMs, audits);
    if ('answer' in prepared) return prepared;
    const executorIds = executorIdsOf(payload);
    const unknown = executorIds.filter((id) => !prepared.executors.some((e) => e.id === id));
    if (unknown.length > 0) return refused('not_found', unknown.map((id) => `executor '${id}' is not declared by charter '${request.charterId}'`), { executorIds: unknown });
    const candidates = prepared.executions.filter((e) => goalId === undefined || e.goalId === goalId);
    if (candidates.length === 0) {
      return refused('not_found', [goalId ? `goal '${goalId}' has no committed plan under charter '${request.charterId}'` : `charter '${request.charterId}' has no committed plan`], { goalId: goalId ?? null });
    }
    const executions = [...prepared.executions];
    const orders: (WorkOrder & { goalId: string; charterId: string })[] = [];
    const idle: { executorId: string; goalId: string; code: string; reasons: readonly string[] }[] = [];
    const denied: { executorId: string; reasons: readonly string[] }[] = [];
    // Goal by goal, every executor still wanting work asks in one transition (dispatchMany), in
    // the order the caller listed them: one projection of each plan, not one per executor.
    const asking = executorIds.map((executorId) => ({ executor: prepared.executors.find((e) => e.id === executorId)!, wanted: perExecutor(payload), denied: false }));
    for (let i = 0; i < executions.length; i++) {
      const execution = executions[i]!;
      if (goalId !== undefined && execution.goalId !== goalId) continue;
      const waiting = asking.filter((a) => !a.denied && a.wanted > 0);
      if (waiting.length === 0) break;
      if (!isLive(execution)) {
        if (goalId !== undefined) idle.push(...waiting.map((a) => ({ executorId: a.executor.id, goalId: execution.goalId, code: execution.state.status, reasons: [`plan '${execution.state.planId}' is ${execution.state.status}`] })));
        continue;
      }
      const r = dispatchMany(execution.state, waiting.map(({ executor, wanted }) => ({
        executorId: executor.id, executorCapabilities: executor.capabilities, executorTrust: executor.trust, maxOrders: Math.min(wanted, execution.state.config.maxOrdersPerRequest),
      })), prepared.charter, nowMs);
      executions[i] = { ...execution, state: r.state };
      audits.push(...audit(request.charterId, execution.goalId, r.events));
      if (!r.ok) {
        if (!IDLE.has(r.refusal.code)) return refused(GATEWAY_CODE[r.refusal.code], r.refusal.reasons, r.refusal.details);
        idle.push(...waiting.map((a) => ({ executorId: a.executor.id, goalId: execution.goalId, code: r.refusal.code, reasons: r.refusal.reasons })));
        continue;
      }
      for (const [k, result] of r.results.entries()) {
        const a = waiting[k]!;
        if (result.ok) {
          orders.push(...result.workOrders.map((o) => ({ ...o, goalId: execution.goalId, charterId: request.charterId })));
          a.wanted -= result.workOrders.length;
        } else if (result.refusal.code === 'executor_not_allowed') {
          denied.push({ executorId: a.executor.id, reasons: result.refusal.reasons });
          a.denied = true;
        } else if (IDLE.has(result.refusal.code)) {
          idle.push({ executorId: a.executor.id, goalId: execution.goalId, code: result.refusal.code, reasons: result.refusal.reasons });
        } else {
          return refused(GATEWAY_CODE[result.refusal.code], result.refusal.reasons, result.refusal.details);
        }
      }
    }
    const rest = write({ ...prepared, executions }, nowMs);
    if (orders.length === 0 && denied.length === executorIds.length) {
      return refused('policy_denied', denied.flatMap((d) => d.reasons), { executorIds }, { ...rest, audits });
    }
    return ok({ charterId: request.charterId, workOrders: orders, idle, denied }, { ...rest, audits, auditDetails: { workOrderIds: orders.map((o) => o.workOrderId) } });
  };

  const outcomeReport: Operation = async (request, payload) => {
    const p = payload as { workOrderId: string; status: 'completed' | 'failed' | 'cancelled'; actualDurationMs: number; actualCost: number; detail?: string };
    const nowMs = deps.now();
    const audits: AuditEntry[] = [];
    const prepared = await prepare(request, undefined, nowMs, audits);
    if ('answer' in prepared) return prepared;
    const at = prepared.executions.findIndex((e) => findWorkOrder(e.state, p.workOrderId) !== undefined);
    if (at < 0) {
      // A work order of a plan version since replaced was issued, perhaps completed: say so rather than "never issued".
      const replacedBy = prepared.executions.find((e) => replacedPlanOf(e.goalId, e.version, p.workOrderId) !== null);
      if (replacedBy) {
        const old = replacedPlanOf(replacedBy.goalId, replacedBy.version, p.workOrderId)!;
        return refused('not_found', [`work order '${p.workOrderId}' belongs to plan '${old}', which plan '${replacedBy.state.planId}' of goal '${replacedBy.goalId}' has replaced: `
          + 'only the active plan\'s work orders take outcomes (dispatch.next or allocate hands them out)'], { workOrderId: p.workOrderId, planId: old, activePlanId: replacedBy.state.planId });
      }
      return refused('not_found', [`work order '${p.workOrderId}' was never issued under charter '${request.charterId}'`], { workOrderId: p.workOrderId });
    }
    const executions = [...prepared.executions];
    const execution = executions[at]!;
    const detail = p.status === 'cancelled' ? `cancelled by the executor${p.detail ? `: ${p.detail}` : ''}` : p.detail ?? null;
    const r = reportOutcome(execution.state, {
      workOrderId: p.workOrderId, status: p.status === 'completed' ? 'succeeded' : 'failed', actualDurationMs: p.actualDurationMs, actualCost: p.actualCost, detail,
    }, nowMs);
    audits.push(...audit(request.charterId, execution.goalId, r.events));
    executions[at] = { ...execution, state: r.state };
    if (!r.ok) {
      const rest = write({ ...prepared, executions }, nowMs);
      return refused(GATEWAY_CODE[r.refusal.code], r.refusal.reasons, r.refusal.details, { ...rest, audits });
    }
    let replanned: unknown = null;
    if (r.events.some((e) => e.type === 'replan_required')) {
      const recovered = recover(prepared, executions[at]!, nowMs, audits);
      executions[at] = recovered.execution;
      replanned = recovered.replan;
    }
    const rest = write({ ...prepared, executions }, nowMs);
    const after = executions[at]!.state;
    return ok({
      charterId: request.charterId, goalId: execution.goalId, workOrderId: p.workOrderId, stepId: r.stepId, resolution: r.resolution,
      duplicate: r.duplicate, planStatus: after.status, replan: replanned, deadlineRisk: r.deadlineRisk,
      counts: summarize(after, nowMs).counts,
    }, { ...rest, audits });
  };

  const creditTrace: Operation = async (request, payload) => {
    const p = payload as { goalId: string; version?: number };
    const { state, plannerCharter } = await load(request);
    if ((plannerCharter?.tenant ?? state?.tenant) !== request.tenant) return notFound(request);
    const execution = state?.executions.find((e) => e.goalId === p.goalId);
    if (!execution) return notFound(request, `an execution of goal '${p.goalId}' under charter '${request.charterId}'`);
    if (p.version !== undefined && p.version !== execution.version) {
      return refused('not_found', [`goal '${p.goalId}' executes version ${execution.version}; version ${p.version} has no execution to trace`], { goalId: p.goalId, version: p.version, executedVersion: execution.version });
    }
    const trace = traceCredit(creditInput(execution.state));
    if (!trace.ok) return refused(trace.refusal.code, trace.refusal.reasons, trace.refusal.details);
    return ok({ charterId: request.charterId, goalId: p.goalId, version: execution.version, complete: execution.state.status === 'completed', ...trace.plan });
  };

  /**
   * `dispatch.expire`, the dispatcher's internal request (see ./service.ts): returns the charter's
   * expired leases to ready. When nothing was due (an executor reported first) it only files the
   * charter under its next expiry in the lease index, or takes it out.
   */
  const expire: Operation = async (request) => {
    const { state } = await load(request);
    if (!state) return ok({ expired: 0 }, { commit: leaseIndexChange(keys, charterScope(request.tenant, request.charterId), 0, null) });
    const nowMs = deps.now();
    const audits: AuditEntry[] = [];
    let expired = 0;
    const executions = state.executions.map((e) => {
      if (!isLive(e)) return e;
      const due = summarize(e.state, nowMs).nextLeaseExpiryAtMs;
      if (due === null || due > nowMs) return e;
      const r = expireLeases(e.state, nowMs);
      expired += r.expiredWorkOrderIds.length;
      audits.push(...audit(request.charterId, e.goalId, r.events));
      return { ...e, state: r.state };
    });
    if (expired === 0) return ok({ expired: 0 }, { commit: leaseIndexChange(keys, executionScope(state), state.revision, nextLeaseExpiry(state, nowMs)) });
    const rest = write({ ...state, executions }, nowMs);
    return ok({ expired }, { ...rest, audits });
  };

  const operations: Record<string, Operation> = {
    'dispatch.next': allocate((p) => [p.executorId as string], (p) => (p.maxOrders as number | undefined) ?? 1),
    allocate: allocate((p) => p.executorIds as string[], (p) => (p.maxOrdersPerExecutor as number | undefined) ?? 1),
    'outcome.report': outcomeReport,
    'credit.trace': creditTrace,
    'dispatch.expire': expire,
  };
  return operations;
}

/**
 * The plan id (`<goalId>.v<n>`) a work order id (`<planId>.<stepId>.<lease>`) names when it is an
 * earlier version of the goal than the active `activeVersion`; null otherwise.
 */
function replacedPlanOf(goalId: string, activeVersion: number, workOrderId: string): string | null {
  const match = /^v(\d+)\./.exec(workOrderId.startsWith(`${goalId}.`) ? workOrderId.slice(goalId.length + 1) : '');
  return match && Number(match[1]) < activeVersion ? `${goalId}.v${match[1]}` : null;
}
