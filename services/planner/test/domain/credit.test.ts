import { describe, expect, it } from 'vitest';
import type { LegStep } from '../../src/domain/credit';
import { traceCredit } from '../../src/domain/credit';
import { seededRandom } from '../../../../test/support/seeded-random';
import { edges } from './fixtures';

function leg(id: string, executorId: string, plannedStartMs: number, planned: number, actual: number, plannedCost = 0, actualCost = 0): LegStep {
  return { stepId: id, executorId, plannedStartMs, plannedDurationMs: planned, actualDurationMs: actual, plannedCost, actualCost };
}

describe('traceCredit', () => {
  it('blames only the critical path for delay', () => {
    // a(10) -> c(10) and b(5) -> c on two executors. a runs 4 late, b runs 3 late but has slack 5.
    const out = traceCredit({ steps: [leg('a', 'x', 0, 10, 14), leg('b', 'y', 0, 5, 8), leg('c', 'x', 10, 10, 10)], dependencies: edges('a->c', 'b->c') });
    if (!out.ok) throw new Error('refused');
    expect(out.plan.delayMs).toBe(4);
    expect(out.plan.steps.map((s) => s.delayMs)).toEqual([4, 0, 0]);
  });

  it('splits delay when the critical path changes part way', () => {
    // Two parallel steps planned 10 and 8 on separate executors; actual 12 and 14. Makespan 10 -> 14.
    // Along t: a = 10 + 2t, b = 8 + 6t; b overtakes a at t = 0.5 (11 ms). a earns 2 × 0.5 = 1, b 6 × 0.5 = 3.
    const out = traceCredit({ steps: [leg('a', 'x', 0, 10, 12), leg('b', 'y', 0, 8, 14)], dependencies: [] });
    if (!out.ok) throw new Error('refused');
    expect(out.plan.steps.map((s) => s.delayMs)).toEqual([1, 3]);
    expect(out.plan.steps.map((s) => s.delayShare)).toEqual([0.25, 0.75]);
  });

  it('attributes cost overrun per step and per executor', () => {
    const out = traceCredit({ steps: [leg('a', 'x', 0, 1, 1, 10, 15), leg('b', 'x', 1, 1, 1, 10, 8), leg('c', 'y', 0, 1, 1, 5, 10)], dependencies: [] });
    if (!out.ok) throw new Error('refused');
    expect(out.plan.costOverrun).toBe(8);
    expect(out.plan.executors).toEqual([
      { executorId: 'x', delayMs: 0, costOverrun: 3, delayShare: 0, costShare: 3 / 8 },
      { executorId: 'y', delayMs: 0, costOverrun: 5, delayShare: 0, costShare: 5 / 8 },
    ]);
  });

  it.each([1, 2, 3, 4, 5])('shares add up to the totals on random legs (seed %i)', (seed) => {
    const next = seededRandom(seed);
    const n = 60;
    const steps: LegStep[] = [];
    const deps: { from: string; to: string }[] = [];
    const finish: number[] = [];
    const free = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const preds = i > 0 && next() < 0.7 ? [Math.floor(next() * i)] : [];
      const e = Math.floor(next() * free.length);
      const start = Math.max(free[e]!, ...preds.map((p) => finish[p]!));
      const planned = 1 + Math.floor(next() * 20);
      finish.push(start + planned);
      free[e] = start + planned;
      preds.forEach((p) => deps.push({ from: `s${p}`, to: `s${i}` }));
      steps.push(leg(`s${i}`, `e${e}`, start, planned, planned * (0.5 + next() * 1.5), planned, planned * (0.5 + next())));
    }
    const out = traceCredit({ steps, dependencies: deps });
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    const t = out.plan;
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(sum(t.steps.map((s) => s.delayMs))).toBeCloseTo(t.delayMs, 6);
    expect(sum(t.steps.map((s) => s.costOverrun))).toBeCloseTo(t.costOverrun, 6);
    expect(sum(t.executors.map((e) => e.delayMs))).toBeCloseTo(t.delayMs, 6);
    if (t.delayMs !== 0) expect(sum(t.steps.map((s) => s.delayShare))).toBeCloseTo(1, 6);
    if (t.costOverrun !== 0) expect(sum(t.executors.map((e) => e.costShare))).toBeCloseTo(1, 6);
  });

  it('refuses a leg whose planned order contradicts its dependencies', () => {
    const out = traceCredit({ steps: [leg('a', 'x', 5, 1, 1), leg('b', 'y', 0, 1, 1)], dependencies: edges('a->b') });
    expect(out.ok ? null : out.refusal.code).toBe('invalid_input');
  });
});
