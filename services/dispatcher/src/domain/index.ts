/**
 * The dispatcher's pure core (MAESTRO `dispatch.next`, `outcome.report`): the execution state of a
 * committed plan. No I/O, no clock: `nowMs` is an argument, the state is plain JSON, and every
 * function returns the new state with the events that say what happened.
 *
 * The adapter: persists each returned state to the compacted execution topic (key: plan id) before
 * answering; publishes one audit record per event; calls `expireLeases` at `nextLeaseExpiryAtMs`
 * (see `summarize`) and dispatches again at `nextReleaseAtMs`; on `replan_required` (or, by choice,
 * `deadline_risk`) calls the planner's `replan` with `replanArguments` plus the executor pool and
 * charter, then `applyReplan`, or `cancelExecution` when the planner refuses; feeds `creditInput`
 * to `traceCredit` once the plan completes.
 */
export type { DispatcherConfig } from './config';
export { DEFAULT_DISPATCHER_CONFIG, leaseLengthMs, resolveDispatcherConfig } from './config';
export type { DispatchRefusal, DispatchRefusalCode, Json } from './refusal';
export { DISPATCH_REFUSAL_CODES } from './refusal';
export type { DispatchEvent, DispatchEventType, ReplanInstruction } from './events';
export type {
  ExecutionState, ExecutionStatus, HistoryEntry, Lease, PlannedSlot, Resolution, StepRecord, StepStatus, WorkOrderRecord,
} from './execution-state';
export { EXECUTION_STATE_VERSION, findStep, findWorkOrder } from './execution-state';
export type { ExecutionStart, StartResult } from './execution-start';
export { startExecution } from './execution-start';
export type { Refused, Transitioned } from './completion';
export { isComplete } from './completion';
export type { ExecutorProfile } from './eligibility';
export type { DispatchRequest, DispatchResult, WorkOrder } from './dispatch';
export { dispatchMany, dispatchNext, type BatchDispatchResult, type ExecutorDispatch } from './dispatch';
export type { OutcomeReport, OutcomeResult } from './outcomes';
export { reportOutcome } from './outcomes';
export type { ExpiryResult } from './leases';
export { expireLeases } from './leases';
export type { Projection, StepProjection } from './projection';
export { projectExecution } from './projection';
export type { DeadlineRisk } from './deadline-risk';
export { assessDeadlineRisk } from './deadline-risk';
export type { ApplyReplanResult, ReplanArguments } from './replanning';
export { applyReplan, progressOf, replanArguments } from './replanning';
export type { CancelResult } from './cancellation';
export { cancelExecution } from './cancellation';
export type { ExecutionSummary } from './summary';
export { summarize } from './summary';
export { creditInput } from './credit-input';
