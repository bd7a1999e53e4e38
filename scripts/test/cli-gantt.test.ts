/** The text Gantt chart and the plan it is drawn from. */
import { describe, expect, it } from 'vitest';
import type { PlanState } from '@maestro/contracts';
import { formatDuration, renderGantt, type GanttStep } from '../cli/gantt';
import { goalPlan } from '../cli/plan-view';

const step = (id: string, startMs: number, finishMs: number, critical = false): GanttStep => ({ id, name: id, executorId: 'w1', startMs, finishMs, critical });

describe('renderGantt', () => {
  it('places each bar on a shared axis, critical steps with #, the others with =', () => {
    const lines = renderGantt([step('a', 0, 5_000, true), step('b', 0, 2_500), step('c', 5_000, 10_000, true)], 20);
    expect(lines).toEqual([
      'a |##########          | 0ms → 5s  w1',
      'b |=====               | 0ms → 3s  w1',
      'c |          ##########| 5s → 10s  w1',
      '   0                10s',
      '   # critical path  = other steps',
    ]);
  });

  it('gives a step far shorter than one column one mark, so no step disappears', () => {
    const [tiny] = renderGantt([step('tiny', 0, 1), step('long', 0, 3_600_000)], 10);
    expect(tiny).toMatch(/^tiny \|= {9}\|/);
  });

  it('measures from the earliest start (a re-plan starts later than zero)', () => {
    const [first] = renderGantt([step('a', 60_000, 120_000)], 4);
    expect(first).toBe('a |====| 0ms → 1m 00s  w1');
  });

  it('shortens long labels and says when there is nothing to draw', () => {
    expect(renderGantt([{ ...step('s1', 0, 1), name: 'x'.repeat(50) }], 4)[0]).toMatch(/^s1 x{28}… \|/);
    expect(renderGantt([])).toEqual(['(no steps)']);
  });
});

describe('formatDuration', () => {
  it.each([[450, '450ms'], [1_000, '1s'], [150_000, '2m 30s'], [3_900_000, '1h 05m'], [3 * 86_400_000 + 3_600_000, '3d 01h']])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('goalPlan', () => {
  const record = (goalId: string, version: number, stepIds: string[]): PlanState => ({
    key: `c/${goalId}/v${version}`, kind: 'goal_version', charterId: 'c', goalId, version, tenant: 't', revision: 1, status: 'committed', updatedAtMs: version,
    stateJson: JSON.stringify({
      goal: { steps: stepIds.map((id) => ({ id, name: `step ${id}` })) },
      plan: { assignments: stepIds.map((id, i) => ({ stepId: id, executorId: 'w2', startMs: i * 10, finishMs: i * 10 + 10, cost: 1 })), makespanMs: 10 * stepIds.length, totalCost: 2, analysis: { criticalPath: [stepIds[0]] } },
    }),
  });
  const charter: PlanState = { ...record('g', 1, []), key: 'c', kind: 'charter', goalId: null, version: null };

  it('takes the latest version of the goal, or the one asked for, with names and the critical path', () => {
    const records = [charter, record('g', 2, ['x', 'y']), record('g', 1, ['old']), record('other', 9, ['z'])];
    expect(goalPlan(records, 'c', 'g', null)).toEqual({
      charterId: 'c', goalId: 'g', version: 2, status: 'committed', makespanMs: 20, totalCost: 2,
      steps: [
        { id: 'x', name: 'step x', executorId: 'w2', startMs: 0, finishMs: 10, critical: true },
        { id: 'y', name: 'step y', executorId: 'w2', startMs: 10, finishMs: 20, critical: false },
      ],
    });
    expect(goalPlan(records, 'c', 'g', 1)?.steps.map((s) => s.id)).toEqual(['old']);
    expect(goalPlan(records, 'c', 'g', 3)).toBeNull();
    expect(goalPlan(records, 'other-charter', 'g', null)).toBeNull();
  });
});
