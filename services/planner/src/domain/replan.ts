/**
 * `graph.replan`: plan what is left after a deviation. Completed steps are kept with their actual
 * cost; running steps stay on their executors and hold back their dependents; failed steps are
 * retried or compensated as they declared; the remainder is refined afresh with the budget and
 * deadline that are left at `now`.
 *
 * Compensation wiring (see `CompensationSpec`):
 * - `replace` (the default): compensation C takes the failed step F's place. F's unfinished
 *   predecessors precede C and F's dependents wait for C; F is not retried.
 * - `before-retry`: C runs first and F is retried after it (C -> F), F's dependents still wait for
 *   F. This needs a retry left under F's policy, otherwise the failure is unrecoverable.
 * A failed step without compensation is retried after its backoff if its policy allows.
 */
import type { Charter, Dependency, Executor, Goal, Step, StepId } from './graph';
import type { Plan } from './refine';
import { refine } from './refine';
import type { Outcome } from './refusal';
import { accept, refuse } from './refusal';
import { shiftPlan } from './plan-time';

/** A finished step, with what it actually took. */
export interface CompletedStep {
  readonly stepId: StepId;
  readonly executorId: string;
  readonly actualDurationMs: number;
  readonly actualCost: number;
  /** @default the step's estimate */
  readonly actualTokens?: number;
}

/** A step that failed; `attempts` counts every attempt so far, the failed one included. */
export interface FailedStep {
  readonly stepId: StepId;
  readonly attempts: number;
  readonly spentCost: number;
}

/** A step still running at `now`. */
export interface RunningStep {
  readonly stepId: StepId;
  readonly executorId: string;
  readonly startedAtMs: number;
}

/** What has happened since the plan started. */
export interface Progress {
  readonly completed: readonly CompletedStep[];
  readonly failed: readonly FailedStep[];
  readonly running?: readonly RunningStep[];
}

/** The re-plan: the remainder goal as scheduled, and the accounting that led to it. */
export interface Replan {
  /** The remainder's plan; times are absolute (ms since the original plan started). */
  readonly plan: Plan;
  /** The remainder goal, compensation steps included. */
  readonly remainder: Goal;
  readonly compensations: readonly { readonly failed: StepId; readonly compensation: StepId; readonly mode: 'replace' | 'before-retry' }[];
  readonly retried: readonly StepId[];
  readonly spentCost: number;
  readonly remainingCharter: Charter;
}

/** Re-plans the remainder of `goal` at `now`, given the previous plan and the progress since. */
export function replan(goal: Goal, executors: readonly Executor[], charter: Charter, previous: Plan, progress: Progress, now: number): Outcome<Replan> {
  const byId = new Map(goal.steps.map((s) => [s.id, s]));
  const running = progress.running ?? [];
  const unknown = [...progress.completed, ...progress.failed, ...running].map((p) => p.stepId).filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    return refuse({ code: 'invalid_input', reasons: unknown.map((id) => `progress names step '${id}', which the goal does not declare`), details: { fields: unknown } });
  }
  const done = new Set(progress.completed.map((c) => c.stepId));
  const runningIds = new Set(running.map((r) => r.stepId));
  const planned = new Map(previous.assignments.map((a) => [a.stepId, a]));

  // Running steps: dependents may not start before their expected finish.
  const releaseMs = new Map<StepId, number>();
  const executorFreeMs = new Map<string, number>();
  let committedCost = 0;
  const dependents = new Map<StepId, StepId[]>();
  for (const d of goal.dependencies) dependents.set(d.from, [...(dependents.get(d.from) ?? []), d.to]);
  for (const r of running) {
    const a = planned.get(r.stepId);
    const expectedFinish = Math.max(now, r.startedAtMs + (a ? a.finishMs - a.startMs : 0));
    executorFreeMs.set(r.executorId, Math.max(executorFreeMs.get(r.executorId) ?? 0, expectedFinish - now));
    committedCost += a?.cost ?? 0;
    for (const to of dependents.get(r.stepId) ?? []) releaseMs.set(to, Math.max(releaseMs.get(to) ?? 0, expectedFinish - now));
  }

  const steps: Step[] = goal.steps.filter((s) => !done.has(s.id) && !runningIds.has(s.id));
  const edges: Dependency[] = goal.dependencies.filter((d) => !done.has(d.from) && !runningIds.has(d.from) && !done.has(d.to) && !runningIds.has(d.to));
  const compensations: Replan['compensations'][number][] = [];
  const retried: StepId[] = [];
  const unrecoverable: string[] = [];
  let remainder: Goal = { steps, dependencies: edges };
  for (const f of progress.failed) {
    const step = byId.get(f.stepId)!;
    const maxAttempts = step.retry?.maxAttempts ?? 1;
    const canRetry = f.attempts < maxAttempts;
    const comp = step.compensation;
    const mode = comp?.mode ?? 'replace';
    if (comp && mode === 'replace') {
      const id = comp.id ?? `${step.id}:compensate`;
      remainder = substitute(remainder, step.id, { id, name: comp.name, durationMs: comp.durationMs, cost: comp.cost, tokens: comp.tokens ?? 0, requirements: comp.requirements });
      compensations.push({ failed: step.id, compensation: id, mode });
      continue;
    }
    if (!canRetry) {
      unrecoverable.push(`step '${step.id}' failed on attempt ${f.attempts} of ${maxAttempts}${comp ? ' and its before-retry compensation needs a retry' : ' and declares no compensation'}`);
      continue;
    }
    retried.push(step.id);
    releaseMs.set(step.id, Math.max(releaseMs.get(step.id) ?? 0, step.retry?.backoffMs ?? 0));
    if (comp) {
      const id = comp.id ?? `${step.id}:compensate`;
      const c: Step = { id, name: comp.name, durationMs: comp.durationMs, cost: comp.cost, tokens: comp.tokens ?? 0, requirements: comp.requirements };
      remainder = { steps: [...remainder.steps, c], dependencies: [...remainder.dependencies, { from: id, to: step.id }] };
      compensations.push({ failed: step.id, compensation: id, mode });
    }
  }
  if (unrecoverable.length > 0) {
    return refuse({ code: 'unrecoverable_failure', reasons: unrecoverable, details: { stepIds: progress.failed.map((f) => f.stepId) } });
  }

  const spentCost = progress.completed.reduce((s, c) => s + c.actualCost, 0) + progress.failed.reduce((s, f) => s + f.spentCost, 0);
  const spentTokens = progress.completed.reduce((s, c) => s + (c.actualTokens ?? byId.get(c.stepId)!.tokens ?? 0), 0)
    + running.reduce((s, r) => s + (byId.get(r.stepId)!.tokens ?? 0), 0);
  const remainingCharter: Charter = {
    ...charter,
    // Clamped at zero so that an overspent or late remainder is refused as infeasible with
    // numbers, rather than as a malformed charter.
    deadlineMs: Math.max(0, charter.deadlineMs - now),
    budget: { cost: Math.max(0, charter.budget.cost - spentCost - committedCost), tokens: Math.max(0, charter.budget.tokens - spentTokens) },
  };
  const outcome = refine(remainder, executors, remainingCharter, { releaseMs, executorFreeMs });
  if (!outcome.ok) {
    const context = `at ${now} ms: spent ${spentCost} (+${committedCost} committed to running steps) of the ${charter.budget.cost} budget; ${remainingCharter.deadlineMs} ms left before the deadline`;
    return refuse({ ...outcome.refusal, reasons: [...outcome.refusal.reasons, context] });
  }
  const runningFinish = Math.max(now, ...[...executorFreeMs.values()].map((f) => now + f));
  return accept({ plan: shiftPlan(outcome.plan, now, runningFinish), remainder, compensations, retried, spentCost, remainingCharter });
}

/** Replaces `stepId` by `replacement`, rewiring its edges to the replacement. */
function substitute(goal: Goal, stepId: StepId, replacement: Step): Goal {
  const swap = (id: StepId): StepId => (id === stepId ? replacement.id : id);
  return {
    steps: goal.steps.map((s) => (s.id === stepId ? replacement : s)),
    dependencies: goal.dependencies.map((d) => ({ from: swap(d.from), to: swap(d.to) })),
  };
}
