/**
 * Input checks that come before any graph analysis: malformed numbers, duplicate step ids,
 * dependencies on steps that do not exist, and charters that contradict themselves.
 */
import type { Charter, Executor, Goal, StepId } from './graph';
import type { Refusal } from './refusal';
import { fmt } from './refusal';

const isNonNegative = (x: number): boolean => typeof x === 'number' && !Number.isNaN(x) && x >= 0;
const isUnit = (x: number): boolean => typeof x === 'number' && x >= 0 && x <= 1;

/** Refuses negative, non-finite or out-of-range numbers in steps and executors. */
export function invalidNumbers(goal: Goal, executors: readonly Executor[]): Refusal | null {
  const reasons: string[] = [];
  const fields: string[] = [];
  const flag = (field: string, why: string): void => {
    fields.push(field);
    reasons.push(`${field} ${why}`);
  };
  for (const s of goal.steps) {
    if (!isNonNegative(s.durationMs) || !Number.isFinite(s.durationMs)) flag(`step ${s.id}.durationMs`, `is ${s.durationMs}, must be a finite number >= 0`);
    if (!isNonNegative(s.cost)) flag(`step ${s.id}.cost`, `is ${s.cost}, must be >= 0`);
    if (s.tokens !== undefined && !isNonNegative(s.tokens)) flag(`step ${s.id}.tokens`, `is ${s.tokens}, must be >= 0`);
    if (!isUnit(s.requirements.minTrust)) flag(`step ${s.id}.requirements.minTrust`, `is ${s.requirements.minTrust}, must be in [0, 1]`);
    if (s.retry && (s.retry.maxAttempts < 1 || !isNonNegative(s.retry.backoffMs))) flag(`step ${s.id}.retry`, 'needs maxAttempts >= 1 and backoffMs >= 0');
  }
  const seen = new Set<string>();
  for (const e of executors) {
    if (!(e.speed > 0) || !Number.isFinite(e.speed)) flag(`executor ${e.id}.speed`, `is ${e.speed}, must be a finite number > 0`);
    if (!isNonNegative(e.costPerMs)) flag(`executor ${e.id}.costPerMs`, `is ${e.costPerMs}, must be >= 0`);
    if (!isUnit(e.trust)) flag(`executor ${e.id}.trust`, `is ${e.trust}, must be in [0, 1]`);
    if (seen.has(e.id)) flag(`executor ${e.id}`, 'is declared twice');
    seen.add(e.id);
  }
  return reasons.length === 0 ? null : { code: 'invalid_input', reasons, details: { fields } };
}

/** Refuses step ids declared more than once. */
export function duplicateSteps(goal: Goal): Refusal | null {
  const seen = new Set<StepId>();
  const dupes = new Set<StepId>();
  for (const s of goal.steps) (seen.has(s.id) ? dupes : seen).add(s.id);
  if (dupes.size === 0) return null;
  const stepIds = [...dupes];
  return { code: 'duplicate_step', reasons: stepIds.map((id) => `step id '${id}' is declared more than once`), details: { stepIds } };
}

/** Every dependency endpoint must name a declared step. */
export function unknownDependencies(goal: Goal): Refusal | null {
  const ids = new Set(goal.steps.map((s) => s.id));
  const edges: { from: StepId; to: StepId; unknown: StepId }[] = [];
  for (const d of goal.dependencies) {
    if (!ids.has(d.from)) edges.push({ from: d.from, to: d.to, unknown: d.from });
    if (!ids.has(d.to)) edges.push({ from: d.from, to: d.to, unknown: d.to });
  }
  if (edges.length === 0) return null;
  const reasons = edges.map((e) => `dependency ${e.from} -> ${e.to} names unknown step '${e.unknown}'`);
  return { code: 'unknown_dependency', reasons, details: { edges } };
}

/** Refuses charters that contradict themselves or allow no known executor. */
export function charterConflicts(charter: Charter, executors: readonly Executor[]): Refusal | null {
  const reasons: string[] = [];
  if (!isUnit(charter.minTrust)) reasons.push(`charter minTrust is ${charter.minTrust}, outside [0, 1]`);
  if (!(charter.deadlineMs >= 0)) reasons.push(`charter deadline is ${charter.deadlineMs} ms, must be >= 0`);
  if (!isNonNegative(charter.budget.cost)) reasons.push(`charter cost budget is ${charter.budget.cost}, must be >= 0`);
  if (!isNonNegative(charter.budget.tokens)) reasons.push(`charter token budget is ${charter.budget.tokens}, must be >= 0`);
  if (charter.allowedExecutors) {
    const known = new Set(executors.map((e) => e.id));
    const allowed = charter.allowedExecutors.filter((id) => known.has(id));
    if (allowed.length === 0) {
      reasons.push(`charter allows ${charter.allowedExecutors.length} executor(s), none of which is among the ${fmt(executors.length)} known`);
    }
  }
  if (reasons.length === 0) return null;
  return {
    code: 'contradictory_constraints',
    reasons,
    details: { minTrust: charter.minTrust, deadlineMs: charter.deadlineMs, budgetCost: charter.budget.cost, budgetTokens: charter.budget.tokens },
  };
}
