/**
 * Regression: with a sample every 30 s or 60 s the optimiser never scaled out, because its scale-up
 * rule wanted 3 samples inside a 60 s window. Every window is now time; this sweeps the sample
 * interval from 1 s to 120 s and checks the same load step scales out, and idle capacity scales in,
 * at each.
 */
import { describe, expect, it } from 'vitest';
import type { OptimizationSample, OptimizerConfig, OptimizerState, StepResult } from '../../src/domain';
import { resolveOptimizerConfig, step } from '../../src/domain';
import { T0 } from './fixtures';

const INTERVALS_S = [1, 5, 15, 30, 60, 120];

/** Samples every `everyS` for `spanS` seconds, load given per second since T0; replicas stay at 4. */
function drive(everyS: number, spanS: number, saturationAt: (s: number) => number, cfg: OptimizerConfig): StepResult[] {
  let state: OptimizerState | null = null;
  const out: StepResult[] = [];
  for (let s = everyS; s <= spanS; s += everyS) {
    const sample: OptimizationSample = {
      assetId: 'a', atMs: T0 + s * 1000, latencyP50Ms: 10, latencyP95Ms: 20, throughputPerS: 100, unitCost: 0.01,
      saturation: saturationAt(s), queueDepth: 0, replicas: 4, sizeUnits: 1,
    };
    const r = step(state, sample, cfg);
    state = r.state;
    out.push(r);
  }
  return out;
}

describe.each([
  ['the default configuration (no scale-up window)', resolveOptimizerConfig()],
  ['a 60 s scale-up window', resolveOptimizerConfig({ scaleUpStabilizationMs: 60_000 })],
])('cadence sweep with %s', (_name, cfg) => {
  it.each(INTERVALS_S)('a sample every %i s: load at 1.5× target from 6 min scales out within one window and one sample', (everyS) => {
    const stepAtS = 360;
    const steps = drive(everyS, 600, (s) => (s > stepAtS ? 0.9 : 0.6), cfg);
    const first = steps.find((r) => r.recommendation.action === 'scale_out');
    expect(first, `no scale_out at a ${everyS} s interval`).toBeDefined();
    expect(first!.recommendation.targetReplicas).toBeGreaterThanOrEqual(6);
    const latestMs = T0 + (stepAtS + everyS + cfg.scaleUpStabilizationMs / 1000 + everyS) * 1000;
    expect(first!.recommendation.atMs).toBeLessThanOrEqual(latestMs);
    expect(steps.slice(0, Math.floor(stepAtS / everyS)).every((r) => r.recommendation.action === 'hold')).toBe(true);
  });

  it.each(INTERVALS_S)('a sample every %i s: idle capacity scales in once the scale-down window has passed', (everyS) => {
    const steps = drive(everyS, 480, () => 0.1, cfg);
    const first = steps.find((r) => r.recommendation.action === 'scale_in');
    expect(first, `no scale_in at a ${everyS} s interval`).toBeDefined();
    expect(first!.recommendation.atMs - (T0 + everyS * 1000)).toBeGreaterThanOrEqual(cfg.scaleDownStabilizationMs);
    expect(first!.recommendation.atMs - (T0 + everyS * 1000)).toBeLessThan(cfg.scaleDownStabilizationMs + everyS * 1000);
  });
});
