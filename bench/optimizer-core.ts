/**
 * In-process benchmark of the optimiser's decision core: samples per second through `step` (observe,
 * recommend, change detection), beside a baseline measured in the same run (a bare loop appending
 * the same numbers to an array window). Not a test: run it with `npx tsx bench/optimizer-core.ts [n]`.
 */
import { cpus, loadavg } from 'node:os';
import type { OptimizationSample, OptimizerState } from '../services/optimizer/src/domain';
import { resolveOptimizerConfig, step } from '../services/optimizer/src/domain';
import { seededRandom } from '../test/support/seeded-random';

const SAMPLES = Number(process.argv[2] ?? 100_000);
const ASSETS = 100;
const cfg = resolveOptimizerConfig({ latencyObjectiveMs: 200, unitCostTarget: 0.02 });

const rand = seededRandom(7);

// Each asset follows a slow load wave with noise and occasional spikes, every 10 s, so the run
// exercises holds, scale-outs, scale-ins and publishes rather than one branch.
const samples: OptimizationSample[] = Array.from({ length: SAMPLES }, (_, k) => {
  const asset = k % ASSETS;
  const tick = Math.floor(k / ASSETS);
  const wave = 0.5 + 0.35 * Math.sin((tick + asset) / 50);
  const saturation = Math.min(1, Math.max(0, wave + (rand() - 0.5) * 0.1 + (rand() < 0.01 ? 0.4 : 0)));
  return {
    assetId: `asset-${asset}`, atMs: 1_700_000_000_000 + tick * 10_000, latencyP50Ms: 20 + 40 * saturation, latencyP95Ms: 60 + 200 * saturation,
    throughputPerS: 1000 * saturation, unitCost: 0.01 / Math.max(0.05, saturation), saturation, queueDepth: Math.floor(50 * saturation),
    replicas: 4, sizeUnits: 2, signals: [{ name: 'energy', value: 300 * saturation, target: 200, weight: 0.5 }],
  };
});

function timed(run: () => number): { ms: number; sink: number } {
  const start = performance.now();
  const sink = run();
  return { ms: performance.now() - start, sink };
}

const core = () => {
  const states = new Map<string, OptimizerState>();
  let published = 0;
  for (const s of samples) {
    const r = step(states.get(s.assetId) ?? null, s, cfg);
    states.set(s.assetId, r.state);
    if (r.changed) published++;
  }
  return published;
};

// Baseline: the least any rolling-window optimiser does, append the same six numbers to a bounded window.
const baseline = () => {
  const windows = new Map<string, number[][]>();
  let n = 0;
  for (const s of samples) {
    const w = windows.get(s.assetId) ?? [];
    w.push([s.latencyP50Ms, s.latencyP95Ms, s.throughputPerS, s.unitCost, s.saturation, s.queueDepth]);
    if (w.length > cfg.windowSize) w.shift();
    windows.set(s.assetId, w);
    n += w.length;
  }
  return n;
};

// Warm both paths so the comparison is of optimised code, then measure.
core();
baseline();
const c = timed(core);
const b = timed(baseline);

const stateBytes = (() => {
  let state: OptimizerState | null = null;
  for (const s of samples) if (s.assetId === 'asset-0') state = step(state, s, cfg).state;
  return JSON.stringify(state).length;
})();

const round = (x: number, d = 2) => Number(x.toFixed(d));
console.log(JSON.stringify({
  bench: 'optimizer-core', node: process.version, samples: SAMPLES, assets: ASSETS,
  core: { samplesPerS: Math.round(SAMPLES / (c.ms / 1000)), usPerSample: round((c.ms * 1000) / SAMPLES, 3), published: c.sink },
  baseline: { samplesPerS: Math.round(SAMPLES / (b.ms / 1000)), usPerSample: round((b.ms * 1000) / SAMPLES, 3) },
  // How many times slower the full decision is than the bare append, per sample.
  ratioToBaseline: { timePerSample: round(c.ms / b.ms, 1) },
  loadAverage1m: round(loadavg()[0] ?? 0), cpus: cpus().length,
  stateJsonBytesPerAsset: stateBytes,
}, null, 2));
