/**
 * In-process benchmark of the detector's pure core: steps per second over a long white-noise series
 * with a few incidents (spikes, a level shift, a ramp, flapping), beside a baseline measured in the
 * same run (a loop that only updates an exponentially weighted mean over the same samples: the
 * least any streaming detector does). Not a test: run it with `npx tsx bench/detector-core.ts
 * [samples] [--core <path to a domain index>]` and read the JSON summary it prints; `--core` times
 * another build of the core (an older commit's, checked out elsewhere) on the same input. The
 * service needs at least 100,000 steps/s on one core.
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sample } from '../services/detector/src/domain';
import * as current from '../services/detector/src/domain';
import { seededRandom } from '../test/support/seeded-random';

const args = process.argv.slice(2);
const coreAt = args.indexOf('--core');
const corePath = coreAt >= 0 ? args[coreAt + 1] : undefined;
const { initialState, resolveDetectorConfig, step }: typeof current = corePath
  ? await import(pathToFileURL(resolve(corePath)).href) : current;
const SAMPLES = Number(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--core') ?? 500_000);
const ROUNDS = 5;

const rand = seededRandom(7);
// Every 10,000 samples: a spike, a shift that lasts 500 samples, a 300-sample ramp and 50 samples
// of flapping, so the drift and flapping paths run as well as the quiet one.
function valueAt(i: number): number {
  const noise = (rand() + rand() + rand() - 1.5) * 2;
  const k = i % 10_000;
  const incident = k === 2_000 ? 15 : k >= 4_000 && k < 4_500 ? 6 : k >= 6_000 && k < 6_300 ? 0.05 * (k - 6_000)
    : k >= 8_000 && k < 8_050 ? (k % 2 === 0 ? 4 : -4) : 0;
  return 100 + noise + incident;
}
const samples: Sample[] = Array.from({ length: SAMPLES }, (_, i) => ({ timestampMs: i * 60_000, value: valueAt(i) }));
const config = resolveDetectorConfig();

function timeIt(run: () => number): { perSecond: number; sink: number } {
  run();
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    sink += run();
    best = Math.min(best, performance.now() - start);
  }
  return { perSecond: Math.round(SAMPLES / (best / 1000)), sink };
}

const detector = timeIt(() => {
  let s = initialState();
  let anomalies = 0;
  for (const sample of samples) {
    const r = step(s, sample, config);
    s = r.state;
    if (r.verdict.anomaly) anomalies++;
  }
  return anomalies;
});

// Baseline: one exponentially weighted mean per sample, the same loop and input, nothing else.
const baseline = timeIt(() => {
  let mean = samples[0]?.value ?? 0;
  for (const sample of samples) mean += 0.01 * (sample.value - mean);
  return mean;
});

const round = (x: number, d = 2) => Number(x.toFixed(d));
console.log(JSON.stringify({
  bench: 'detector-core', core: corePath ?? 'services/detector/src/domain', node: process.version, samples: SAMPLES, rounds: ROUNDS, timing: 'best round',
  detector: { stepsPerS: detector.perSecond, anomaliesPerRun: detector.sink / ROUNDS },
  baseline: { label: 'EWMA update only', stepsPerS: baseline.perSecond },
  slowdownVsBaseline: round(baseline.perSecond / detector.perSecond),
  targetStepsPerS: 100_000, meetsTarget: detector.perSecond >= 100_000,
  loadAverage1m: round(loadavg()[0] ?? 0), cpus: cpus().length,
}, null, 2));
