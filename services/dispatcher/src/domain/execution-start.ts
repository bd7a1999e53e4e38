/**
 * Starting the execution of a committed plan (after MAESTRO `graph.commit`). The plan is checked
 * against its goal once here, so that every later transition can treat the goal as well formed.
 */
import type { Charter, Goal, Plan } from '../../../planner/src/domain';
import { compileGoal } from '../../../planner/src/domain';
import type { Transitioned } from './completion';
import { conclude } from './completion';
import type { DispatcherConfig } from './config';
import { resolveDispatcherConfig } from './config';
import type { ExecutionState, StepRecord } from './execution-state';
import { EXECUTION_STATE_VERSION, newStepRecord } from './execution-state';
import type { DispatchRefusal } from './refusal';
import { refusal } from './refusal';
import { begin, emit } from './transition';

/** What `startExecution` needs. */
export interface ExecutionStart {
  readonly planId: string;
  readonly goal: Goal;
  /** The plan the planner refined for `goal` under `charter`. */
  readonly plan: Plan;
  /** Only its deadline is kept: eligibility is checked against the charter given to each dispatch. */
  readonly charter: Charter;
  /** Epoch ms of the plan's time zero. */
  readonly startedAtMs: number;
  /** @default DEFAULT_DISPATCHER_CONFIG */
  readonly config?: Partial<DispatcherConfig>;
}

/** The initial state and its events, or why the plan cannot be executed. */
export type StartResult = ({ readonly ok: true } & Transitioned) | { readonly ok: false; readonly refusal: DispatchRefusal };

/** Builds the execution state of a committed plan; root steps are ready at once. */
export function startExecution(input: ExecutionStart): StartResult {
  const { goal, plan, charter, startedAtMs } = input;
  const compiled = compileGoal(goal);
  if (!compiled.ok) return { ok: false, refusal: refusal('invalid_plan', compiled.refusal.reasons, { planner: compiled.refusal.code }) };
  const problems: string[] = [];
  if (!Number.isFinite(startedAtMs)) problems.push(`startedAtMs must be finite, got ${startedAtMs}`);
  if (!(charter.deadlineMs >= 0)) problems.push(`the charter deadline must be >= 0 ms, got ${charter.deadlineMs}`);
  const slots = new Map(plan.assignments.map((a) => [a.stepId, a]));
  const ids = new Set(goal.steps.map((s) => s.id));
  for (const step of goal.steps) {
    if (!slots.has(step.id)) problems.push(`step '${step.id}' has no assignment in the plan`);
    const compensationId = step.compensation ? step.compensation.id ?? `${step.id}:compensate` : null;
    // A compensation is wired into the goal under its id when armed; a clash would merge two steps.
    if (compensationId !== null && ids.has(compensationId)) problems.push(`step '${step.id}' declares compensation '${compensationId}', which is already a step id`);
    if (compensationId !== null) ids.add(compensationId);
  }
  if (problems.length > 0) return { ok: false, refusal: refusal('invalid_plan', problems, { planId: input.planId }) };

  const estimates = new Map(plan.analysis.timings.map((t) => [t.stepId, t.durationMs]));
  const steps: StepRecord[] = goal.steps.map((s) => {
    const a = slots.get(s.id)!;
    return newStepRecord(s.id, estimates.get(s.id) ?? s.durationMs, { executorId: a.executorId, startMs: a.startMs, finishMs: a.finishMs, cost: a.cost });
  });
  const deadlineAtMs = Number.isFinite(charter.deadlineMs) ? startedAtMs + charter.deadlineMs : null;
  const state: ExecutionState = {
    version: EXECUTION_STATE_VERSION,
    planId: input.planId,
    status: 'running',
    startedAtMs,
    deadlineAtMs,
    config: resolveDispatcherConfig(input.config),
    goal,
    plan,
    steps,
    workOrders: [],
    deadlineAtRisk: false,
    completedAtMs: null,
  };
  const tx = begin(state, startedAtMs);
  emit(tx, { type: 'execution_started', planId: input.planId, stepCount: goal.steps.length, deadlineAtMs });
  return { ok: true, ...conclude(tx) };
}
