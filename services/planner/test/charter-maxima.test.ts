import { describe, expect, it } from 'vitest';
import { CHARTER_MAXIMA, goalAdmission } from '../src/charter-maxima';
import type { GoalSummary } from '../src/plan-state';

const goal = (goalId: string, stepCount: number): GoalSummary => ({
  goalId, intent: null, latestVersion: 1, committedVersion: 1, committedAtMs: 0, createdAtMs: 0, updatedAtMs: 0,
  versions: [{ version: 1, origin: 'refine', atMs: 0, stepCount: 10, makespanMs: 1, totalCost: 1 }, { version: 2, origin: 'refine', atMs: 0, stepCount, makespanMs: 1, totalCost: 1 }],
});
const goals = (count: number, steps: number) => Array.from({ length: count }, (_, i) => goal(`g${i}`, steps));

describe('goalAdmission', () => {
  it('admits ten goals of 1,000 steps, the tested maximum', () => {
    expect(goalAdmission(goals(9, 1_000), 'g9', 1_000)).toBeNull();
  });

  it('counts the latest version of each other goal, and a goal refined again replaces its own', () => {
    expect(goalAdmission(goals(10, 1_000), 'g3', 1_000)).toBeNull();
    expect(goalAdmission(goals(10, 1_000), 'g3', 1_001)).toMatchObject({ details: { steps: 10_001, maxSteps: CHARTER_MAXIMA.stepsPerCharter } });
  });

  it('refuses a new goal past the steps a charter supports', () => {
    expect(goalAdmission(goals(10, 1_000), 'g-new', 1)?.reasons).toEqual(['the charter\'s goals would hold 10001 steps, over the 10000 a charter supports']);
  });

  it('refuses a new goal past the goals a charter supports, but not a new version of one it holds', () => {
    const full = goals(CHARTER_MAXIMA.goalsPerCharter, 1);
    expect(goalAdmission(full, 'g-new', 1)?.reasons).toEqual([`the charter already holds ${CHARTER_MAXIMA.goalsPerCharter} goals, the most a charter supports (${CHARTER_MAXIMA.goalsPerCharter})`]);
    expect(goalAdmission(full, 'g0', 1)).toBeNull();
  });
});
