/** Builders for optimiser tests: samples every 10 s from T0, and a runner that steps through them. */
import type { OptimizationSample, OptimizerConfig, OptimizerState, StepResult } from '../../src/domain';
import { step } from '../../src/domain';

export const T0 = 1_700_000_000_000;
export const EVERY_MS = 10_000;

export function sample(k: number, over: Partial<OptimizationSample> = {}): OptimizationSample {
  return {
    assetId: 'asset-1', atMs: T0 + k * EVERY_MS, latencyP50Ms: 20, latencyP95Ms: 50, throughputPerS: 100, unitCost: 0.01,
    saturation: 0.6, queueDepth: 0, replicas: 4, sizeUnits: 2, ...over,
  };
}

/** Steps through `n` samples built by `at(k)`, returning every step and the final state. */
export function run(n: number, at: (k: number) => Partial<OptimizationSample>, cfg: OptimizerConfig, from: OptimizerState | null = null, k0 = 0): { steps: StepResult[]; state: OptimizerState } {
  let state = from;
  const steps: StepResult[] = [];
  for (let k = k0; k < k0 + n; k++) {
    const r = step(state, sample(k, at(k)), cfg);
    steps.push(r);
    state = r.state;
  }
  return { steps, state: state! };
}

export const lastOf = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;

/** Poisson draws (Knuth), for arrivals at a few requests a second. */
export function poisson(rand: () => number): (rate: number) => number {
  return (rate) => {
    const limit = Math.exp(-rate);
    let k = 0;
    for (let p = rand(); p > limit; p *= rand()) k++;
    return k;
  };
}

/** Means over `tickS` of per-second loads (replicas' worth), as the samples report them. */
export function sampleMeans(perSecond: (s: number) => number, tickS: number, seconds: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + tickS <= seconds; s += tickS) {
    let sum = 0;
    for (let i = s; i < s + tickS; i++) sum += perSecond(i);
    out.push(sum / tickS);
  }
  return out;
}
