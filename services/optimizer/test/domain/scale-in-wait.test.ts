/**
 * The learned scale-in wait (issue 11): a scale-in the load outgrows within one startup delay
 * lengthens the series' wait multiplicatively, one that held shortens it by a step, within the
 * short and the long scale-down windows; the wait then sets how long a forecast scale-in waits.
 */
import { describe, expect, it } from 'vitest';
import { initialScaleInWait, judgeScaleIn, resolveOptimizerConfig, scaleInWaitMs, stabilise, type DesiredPoint, type ScaleInWait } from '../../src/domain';
import { lastOf, run, T0 } from './fixtures';

const cfg = resolveOptimizerConfig({ scaleInWaitStepMs: 30_000 });
const at = (s: number) => T0 + s * 1000;

describe('judgeScaleIn', () => {
  it('starts at the long window when learning, and stays at the short one when not', () => {
    expect(scaleInWaitMs(initialScaleInWait(cfg), cfg)).toBe(300_000);
    const off = resolveOptimizerConfig();
    expect(scaleInWaitMs(initialScaleInWait(off), off)).toBe(60_000);
  });

  it('a scale-in the load outgrows within a startup delay doubles the wait, up to the long window', () => {
    let w: ScaleInWait = { waitMs: 90_000, check: null };
    w = judgeScaleIn(w, 10, { atMs: at(0), replicas: 6, load: 3, saturated: false }, cfg);
    expect(w).toEqual({ waitMs: 90_000, check: { atMs: at(0), to: 6 } });
    // 4 replicas' worth on 6 is 0.67 of them: above the 0.6 the count was meant to run at.
    w = judgeScaleIn(w, 6, { atMs: at(30), replicas: 6, load: 4, saturated: false }, cfg);
    expect(w).toEqual({ waitMs: 180_000, check: null });
    w = judgeScaleIn({ waitMs: 200_000, check: { atMs: at(0), to: 6 } }, 6, { atMs: at(10), replicas: 6, load: 1, saturated: true }, cfg);
    expect(w.waitMs).toBe(300_000);
  });

  it('a scale-in that held for a startup delay shortens the wait by a step, down to the short window', () => {
    let w: ScaleInWait = { waitMs: 100_000, check: null };
    w = judgeScaleIn(w, 10, { atMs: at(0), replicas: 6, load: 3, saturated: false }, cfg);
    w = judgeScaleIn(w, 6, { atMs: at(30), replicas: 6, load: 3, saturated: false }, cfg);
    expect(w.waitMs).toBe(100_000);
    w = judgeScaleIn(w, 6, { atMs: at(60), replicas: 6, load: 3, saturated: false }, cfg);
    expect(w).toEqual({ waitMs: 70_000, check: null });
    w = judgeScaleIn({ waitMs: 70_000, check: { atMs: at(0), to: 6 } }, 6, { atMs: at(60), replicas: 6, load: 3, saturated: false }, cfg);
    expect(w.waitMs).toBe(60_000);
  });

  it('at a 120 s cadence the first sample after a scale-in judges it', () => {
    const w = judgeScaleIn({ waitMs: 60_000, check: null }, 10, { atMs: at(120), replicas: 5, load: 4, saturated: false }, cfg);
    expect(w).toEqual({ waitMs: 120_000, check: null });
    const held = judgeScaleIn({ waitMs: 120_000, check: { atMs: at(0), to: 5 } }, 5, { atMs: at(120), replicas: 5, load: 2, saturated: false }, cfg);
    expect(held).toEqual({ waitMs: 90_000, check: null });
  });

  it('a newer scale-in before the verdict counts the earlier one as right and judges the newer', () => {
    const w = judgeScaleIn({ waitMs: 150_000, check: { atMs: at(0), to: 8 } }, 8, { atMs: at(20), replicas: 5, load: 2, saturated: false }, cfg);
    expect(w).toEqual({ waitMs: 120_000, check: { atMs: at(20), to: 5 } });
  });

  it('learns nothing when off', () => {
    const off = resolveOptimizerConfig();
    const w: ScaleInWait = { waitMs: 60_000, check: null };
    expect(judgeScaleIn(w, 10, { atMs: at(0), replicas: 6, load: 6, saturated: true }, off)).toBe(w);
  });
});

describe('the learned wait in the optimiser', () => {
  it('observe judges the replicas the samples report: a scale-in the load outgrows lengthens the wait', () => {
    const before = run(40, () => ({ replicas: 10, saturation: 0.3 }), cfg).state;
    expect(before.scaleIn.waitMs).toBe(300_000);
    const right = run(8, () => ({ replicas: 6, saturation: 0.5 }), cfg, before, 40).state;
    expect(right.scaleIn).toEqual({ waitMs: 270_000, check: null });
    const wrong = run(2, () => ({ replicas: 4, saturation: 0.9 }), cfg, right, 48).state;
    expect(wrong.scaleIn).toEqual({ waitMs: 300_000, check: null });
  });

  it('a forecast scale-in waits the learned time for the desired counts to agree', () => {
    const history: DesiredPoint[] = [];
    for (let s = 0; s <= 400; s += 10) history.push({ atMs: at(s), replicas: s < 300 ? 10 : 4, hold: 4, ratio: 0.5 });
    const now = at(400);
    expect(stabilise(history, 10, at(0), now, cfg, 60_000).replicas).toBe(4);
    expect(stabilise(history, 10, at(0), now, cfg, 120_000).replicas).toBe(10);
    const learned = lastOf(run(1, () => ({ replicas: 10 }), cfg).steps).state.scaleIn;
    expect(scaleInWaitMs(learned, cfg)).toBe(300_000);
  });
});
