/**
 * MAESTRO `dispatch.next`: hand ready steps to the executor asking for work, critical path first.
 *
 * Priority is the step's bottom level in the remaining graph (the work left from its start to the
 * end of the plan; see `projection.ts`), then least slack, then the planned start, then the step id,
 * so the order is total and replays identically. The plan's executor assignment is advice, not a
 * rule: in a pull model whoever asks first and qualifies gets the most urgent step it can run.
 */
import type { Charter, StepId } from '../../../planner/src/domain';
import type { Refused, Transitioned } from './completion';
import { conclude, concludeRefused } from './completion';
import type { DispatchRefusal, DispatchRefusalCode } from './refusal';
import { refusal } from './refusal';
import { leaseLengthMs } from './config';
import type { ExecutorProfile } from './eligibility';
import { isAllowed, lacksFor } from './eligibility';
import type { ExecutionState, StepRecord } from './execution-state';
import { expireInto } from './leases';
import { projectExecution } from './projection';
import type { StepProjection } from './projection';
import { promoteReady, waitingOf } from './readiness';
import type { Transition } from './transition';
import { begin, commit, emit, patchStep, stepOf } from './transition';

/** A request for work. */
export interface DispatchRequest extends ExecutorProfile {
  /** How many steps the executor will take at once (a pool). @default 1 */
  readonly maxOrders?: number;
}

/** A step leased to an executor. */
export interface WorkOrder {
  readonly workOrderId: string;
  readonly planId: string;
  readonly stepId: StepId;
  readonly name: string;
  readonly executorId: string;
  /** 1 for the first attempt; expired leases do not count. */
  readonly attempt: number;
  readonly leasedAtMs: number;
  /** Report before this, or the step is handed to someone else. */
  readonly leaseExpiresAtMs: number;
  /** The latest finish that still lets the rest of the plan meet the charter deadline; null for none. */
  readonly stepDeadlineAtMs: number | null;
  readonly estimateMs: number;
  readonly compensates: StepRecord['compensates'];
  readonly priority: { readonly bottomLevelMs: number; readonly slackMs: number };
}

/** Work orders, or a refusal; the state may have changed either way (leases expire first). */
export type DispatchResult =
  | ({ readonly ok: true; readonly workOrders: readonly WorkOrder[] } & Transitioned)
  | Refused;

/** Leases up to `maxOrders` ready steps to the requesting executor, most urgent first. */
export function dispatchNext(state: ExecutionState, request: DispatchRequest, charter: Charter, nowMs: number): DispatchResult {
  const r = dispatchMany(state, [request], charter, nowMs);
  if (!r.ok) return r;
  const { state: next, events, deadlineRisk } = r;
  const only = r.results[0]!;
  return only.ok ? { ok: true, workOrders: only.workOrders, state: next, events, deadlineRisk } : { ok: false, refusal: only.refusal, state: next, events, deadlineRisk };
}

/** One executor's answer within {@link dispatchMany}. */
export type ExecutorDispatch =
  | { readonly executorId: string; readonly ok: true; readonly workOrders: readonly WorkOrder[] }
  | { readonly executorId: string; readonly ok: false; readonly refusal: DispatchRefusal };

/** Each executor's answer, in the order of the requests, or a refusal of the whole request (the plan is complete, cancelled or awaiting a re-plan). */
export type BatchDispatchResult = ({ readonly ok: true; readonly results: readonly ExecutorDispatch[] } & Transitioned) | Refused;

/**
 * Serves several executors' requests from one plan in one transition, in the order given: each
 * takes the most urgent ready steps it can run that no earlier one took. Equivalent to a
 * `dispatchNext` per executor except that leases are expired, readiness promoted, the remaining
 * graph projected and the ready steps ranked once, not once per executor: `allocate` for 256
 * executors on a 1,000-step plan did that work 256 times (4.9 s at the supported maxima).
 */
export function dispatchMany(state: ExecutionState, requests: readonly DispatchRequest[], charter: Charter, nowMs: number): BatchDispatchResult {
  const tx = begin(state, nowMs);
  const limit = state.config.maxOrdersPerRequest;
  const results: ExecutorDispatch[] = new Array<ExecutorDispatch>(requests.length);
  const refuse = (at: number, code: DispatchRefusalCode, reasons: readonly string[], details: DispatchRefusal['details']): void => {
    const r = refusal(code, reasons, details);
    emit(tx, { type: 'request_refused', refusal: r });
    results[at] = { executorId: requests[at]!.executorId, ok: false, refusal: r };
  };
  const valid: number[] = [];
  requests.forEach((request, at) => {
    const maxOrders = request.maxOrders ?? 1;
    if (Number.isSafeInteger(maxOrders) && maxOrders >= 1 && maxOrders <= limit) valid.push(at);
    else refuse(at, 'invalid_request', [`maxOrders must be an integer in [1, ${limit}], got ${maxOrders}`], { maxOrders });
  });
  if (valid.length === 0) return { ok: true, results, ...conclude(tx) };
  if (state.status === 'completed') return concludeRefused(tx, 'plan_complete', [`plan '${state.planId}' completed at ${state.completedAtMs}`], {});
  if (state.status === 'cancelled') return concludeRefused(tx, 'plan_cancelled', [`plan '${state.planId}' was cancelled`], {});
  expireInto(tx);
  promoteReady(tx);
  if (tx.status === 'awaiting_replan') {
    const failed = [...tx.steps.values()].filter((s) => s.status === 'failed').map((s) => s.stepId);
    return concludeRefused(tx, 'replan_pending', [`step(s) ${failed.join(', ')} failed for good; nothing new is dispatched until a re-plan is applied`], { failed });
  }
  const ready = tx.goal.steps.filter((s) => stepOf(tx, s.id).status === 'ready');
  const projection = ready.length > 0 ? projectExecution(commit(tx), nowMs) : null;
  const ranked = ready.map((s) => ({ step: s, p: projection!.byStep.get(s.id)!, record: stepOf(tx, s.id) })).sort((a, b) =>
    b.p.bottomLevelMs - a.p.bottomLevelMs || a.p.slackMs - b.p.slackMs
    || (a.record.planned?.startMs ?? Infinity) - (b.record.planned?.startMs ?? Infinity)
    || (a.step.id < b.step.id ? -1 : a.step.id > b.step.id ? 1 : 0));
  const taken = new Set<StepId>();
  for (const at of valid) {
    const request = requests[at]!;
    if (!isAllowed(request.executorId, charter)) {
      refuse(at, 'executor_not_allowed', [`the charter does not allow executor '${request.executorId}' (allowed: ${(charter.allowedExecutors ?? []).join(', ')})`], { executorId: request.executorId });
      continue;
    }
    const open = ranked.filter((r) => !taken.has(r.step.id));
    if (open.length === 0) {
      const waiting = waitingOf(commit(tx), nowMs);
      refuse(at, 'no_ready_step', [
        `no step is ready: ${waiting.leased} leased, ${waiting.blockedOnDependencies} waiting on dependencies, ${waiting.inBackoff} in retry backoff, ${waiting.compensating} waiting on a compensation`,
      ], { ...waiting });
      continue;
    }
    const maxOrders = request.maxOrders ?? 1;
    const chosen: typeof open = [];
    for (const r of open) {
      if (chosen.length >= maxOrders) break;
      if (lacksFor(r.step.requirements, request, charter).length === 0) chosen.push(r);
    }
    if (chosen.length === 0) {
      const rejections = open.map((r) => ({ stepId: r.step.id, lacks: lacksFor(r.step.requirements, request, charter) }));
      refuse(at, 'executor_ineligible', rejections.map((r) => `step '${r.stepId}': executor '${request.executorId}' lacks ${r.lacks.join(' and ')}`), {
        executorId: request.executorId, rejections,
      });
      continue;
    }
    for (const { step } of chosen) taken.add(step.id);
    results[at] = { executorId: request.executorId, ok: true, workOrders: chosen.map(({ step, p }) => lease(tx, step.id, step.name, p, request.executorId)) };
  }
  return { ok: true, results, ...conclude(tx) };
}

function lease(tx: Transition, stepId: StepId, name: string, p: StepProjection, executorId: string): WorkOrder {
  const record = stepOf(tx, stepId);
  // Only [A-Za-z0-9._:-]: the published schemas (defs.json `id`) validate work order ids that way in
  // outcome.report. Unique within the plan: the lease number after the last '.' has no dot in it.
  const workOrderId = `${tx.base.planId}.${stepId}.${record.leases + 1}`;
  const leaseExpiresAtMs = tx.nowMs + leaseLengthMs(tx.base.config, record.estimateMs);
  // The work after this step takes `bottomLevel - own estimate`; finishing later than the deadline
  // minus that tail makes the deadline unreachable on current estimates.
  const stepDeadlineAtMs = tx.base.deadlineAtMs === null ? null : tx.base.deadlineAtMs - (p.bottomLevelMs - p.remainingMs);
  patchStep(tx, stepId, { status: 'leased', leases: record.leases + 1, lease: { workOrderId, executorId, leasedAtMs: tx.nowMs, leaseExpiresAtMs } });
  tx.workOrders.set(workOrderId, { workOrderId, stepId, executorId, leasedAtMs: tx.nowMs, leaseExpiresAtMs, stepDeadlineAtMs, status: 'leased', resolution: null });
  emit(tx, { type: 'step_leased', stepId, workOrderId, executorId, attempt: record.attempts + 1, leaseExpiresAtMs, stepDeadlineAtMs, priorityMs: p.bottomLevelMs });
  return {
    workOrderId, planId: tx.base.planId, stepId, name, executorId, attempt: record.attempts + 1, leasedAtMs: tx.nowMs, leaseExpiresAtMs,
    stepDeadlineAtMs, estimateMs: record.estimateMs, compensates: record.compensates, priority: { bottomLevelMs: p.bottomLevelMs, slackMs: p.slackMs },
  };
}
