/**
 * The supported maxima of a charter (docs/protocol.md, "Supported maxima"). Steps per goal (1,000),
 * dependencies per goal (10,000) and executors per charter (256) are bounds of the published
 * schemas (schemas/maestro/v1/defs.json, charter.declare.json), checked on every payload; goals per
 * charter and steps per charter are checked here when a goal is refined. Every call also measures
 * the state records it would produce before committing them (libs/protocol), which refuses a result
 * that would not fit whatever these numbers say; these keep a charter within what is tested end to
 * end and what one request can load and decide quickly: the dispatcher reads every execution of a
 * charter per request (about 1.3 MB of JSON per completed 1,000-step goal).
 */
import type { GoalSummary } from './plan-state';

export const CHARTER_MAXIMA = {
  /** Goals a charter may hold, refined or committed. */
  goalsPerCharter: 32,
  /** Steps across the latest versions of a charter's goals. */
  stepsPerCharter: 10_000,
} as const;

/** Reasons a goal of `steps` steps may not be refined under a charter with `goals`; empty when it may. */
export function goalAdmission(goals: readonly GoalSummary[], goalId: string, steps: number, maxima = CHARTER_MAXIMA): { reasons: string[]; details: Record<string, number> } | null {
  const others = goals.filter((g) => g.goalId !== goalId);
  const stepsOf = (g: GoalSummary) => g.versions.at(-1)?.stepCount ?? 0;
  const total = others.reduce((sum, g) => sum + stepsOf(g), 0) + steps;
  const reasons: string[] = [];
  if (others.length === goals.length && goals.length >= maxima.goalsPerCharter) {
    reasons.push(`the charter already holds ${goals.length} goals, the most a charter supports (${maxima.goalsPerCharter})`);
  }
  if (total > maxima.stepsPerCharter) {
    reasons.push(`the charter's goals would hold ${total} steps, over the ${maxima.stepsPerCharter} a charter supports`);
  }
  return reasons.length === 0 ? null : { reasons, details: { goals: goals.length, steps: total, maxGoals: maxima.goalsPerCharter, maxSteps: maxima.stepsPerCharter } };
}
