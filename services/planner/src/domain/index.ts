/**
 * The planner's pure core (MAESTRO `goal.refine`, `graph.diff`, `graph.replan`, `credit.trace`):
 * no I/O, no clock; `now` is an argument. Adapters call these and carry out the decisions.
 */
export type { CompensationSpec, Charter, Dependency, Executor, Goal, Requirements, RetryPolicy, Step, StepId } from './graph';
export { costOn, durationOn, edgeKey } from './graph';
export type { MissingPremise, Outcome, Refusal, RefusalCode } from './refusal';
export { REFUSAL_CODES } from './refusal';
export type { Analysis, CompiledGoal, StepTiming } from './analysis';
export { analyseGoal, compileGoal, timeGoal } from './analysis';
export type { Timing } from './critical-path';
export { computeTiming } from './critical-path';
export { findCycle } from './cycles';
export type { IndexedGraph } from './topology';
export { indexGraph, topologicalOrder } from './topology';
export type { Eligibility } from './eligibility';
export { computeEligibility } from './eligibility';
export type { RawSchedule, SchedulingProblem, TaskOption } from './scheduling-problem';
export { buildProblem } from './scheduling-problem';
export type { ListMode, Priority } from './list-scheduler';
export { listSchedule } from './list-scheduler';
export type { SearchOptions, SearchResult } from './search';
export { searchSchedule } from './search';
export { fitBudget } from './budget';
export { verifySchedule } from './verify';
export type { Assignment, Plan, RefineOptions } from './refine';
export { refine } from './refine';
export type { FieldChange, GoalDiff } from './diff';
export { diffGoals } from './diff';
export type { CompletedStep, FailedStep, Progress, Replan, RunningStep } from './replan';
export { replan } from './replan';
export type { Blame, CreditTrace, Leg, LegStep } from './credit';
export { traceCredit } from './credit';
export type { StgGraph, StgPlacement } from './stg';
export { parseStg, scheduleStg } from './stg';
