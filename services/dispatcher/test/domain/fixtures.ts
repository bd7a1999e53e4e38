/** Goal, plan and execution builders shared by the dispatcher's domain tests. */
import type { Charter, Executor, Goal, Plan, Step } from '../../../planner/src/domain';
import { edges, executor } from '../../../planner/test/domain/fixtures';
import { refine } from '../../../planner/src/domain';
import type { DispatchRequest, DispatchResult, DispatcherConfig, ExecutionState, OutcomeResult } from '../../src/domain';
import { startExecution } from '../../src/domain';

/** Epoch ms of every test plan's time zero: far from 0 so that relative/absolute mix-ups show. */
export const T0 = 1_000_000;

/** A step with no requirements unless given. */
export function step(id: string, durationMs: number, extra: Partial<Step> = {}): Step {
  return { id, name: id, durationMs, cost: 1, requirements: { capabilities: [], minTrust: 0 }, ...extra };
}

// The planner's builders, where the dispatcher's tests need the same thing.
export { edges, executor };

/** A charter with a deadline and nothing else in the way. */
export function charter(deadlineMs = Infinity, extra: Partial<Charter> = {}): Charter {
  return { deadlineMs, budget: { cost: Infinity, tokens: Infinity }, minTrust: 0, ...extra };
}

/** The planner's plan for a goal, or a thrown error naming the refusal. */
export function planFor(goal: Goal, executors: readonly Executor[], c: Charter): Plan {
  const out = refine(goal, executors, c);
  if (!out.ok) throw new Error(`refine refused: ${out.refusal.reasons.join('; ')}`);
  return out.plan;
}

/** A started execution of `goal` planned on `executors` (default: two unit executors). */
export function started(goal: Goal, c: Charter = charter(), options: { executors?: readonly Executor[]; config?: Partial<DispatcherConfig> } = {}): ExecutionState {
  const executors = options.executors ?? [executor('x'), executor('y')];
  const out = startExecution({ planId: 'p1', goal, plan: planFor(goal, executors, c), charter: c, startedAtMs: T0, config: options.config ?? {} });
  if (!out.ok) throw new Error(`start refused: ${out.refusal.reasons.join('; ')}`);
  return out.state;
}

/** A request from a capable, trusted executor. */
export function ask(executorId = 'x', extra: Partial<DispatchRequest> = {}): DispatchRequest {
  return { executorId, executorCapabilities: [], executorTrust: 1, ...extra };
}

/** Work orders of an accepted dispatch, or a thrown error naming the refusal. */
export function orders(result: DispatchResult): Extract<DispatchResult, { ok: true }> {
  if (!result.ok) throw new Error(`dispatch refused: ${result.refusal.code}: ${result.refusal.reasons.join('; ')}`);
  return result;
}

/** The state after an accepted outcome, or a thrown error naming the refusal. */
export function accepted(result: OutcomeResult): Extract<OutcomeResult, { ok: true }> {
  if (!result.ok) throw new Error(`outcome refused: ${result.refusal.code}: ${result.refusal.reasons.join('; ')}`);
  return result;
}

/** The diamond a -> {b, c} -> d plus an independent e: bottom levels a 70, b 60, c 30, d 10, e 5. */
export const DIAMOND: Goal = {
  steps: [step('a', 10), step('b', 50), step('c', 20), step('d', 10), step('e', 5)],
  dependencies: edges('a->b', 'a->c', 'b->d', 'c->d'),
};
