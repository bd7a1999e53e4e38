import { describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@maestro/contracts';
import { resolveOptimizerConfig, UNDECIDED, type OptimizerState } from '../../services/optimizer/src/domain';
import { stepTelemetry } from '../../services/optimizer/src/telemetry-step';
import { defaultCapacity } from '../scale-replay/replay';
import { telemetryOf } from '../scale-replay/policies';
import { simulate, type Observation, type Policy } from '../scale-replay/simulate';
import { syntheticTrace } from '../scale-replay/synthetic';

const cfg = resolveOptimizerConfig({});

/** How a simulator reports a tick: with the ready count, or without it and utilisation over serving or over all replicas. */
const REPORTS = {
  withReady: (t: TelemetrySample) => t,
  overServing: (t: TelemetrySample) => ({ ...t, labels: { replicas: t.labels['replicas']! } }),
  overAll: (t: TelemetrySample, o: Observation) => ({ ...t, metrics: { ...t.metrics, saturation: (o.saturation * o.readyReplicas) / o.replicas }, labels: { replicas: t.labels['replicas']! } }),
} as const;

function run(report: keyof typeof REPORTS, name: 'flash' | 'step', tickS: number) {
  const { demand } = syntheticTrace(name);
  let state: OptimizerState | null = null;
  const policy: Policy = {
    name: report, initialReplicas: 2,
    decide(o) {
      const folded = stepTelemetry(state, REPORTS[report](telemetryOf(o, 'svc'), o), cfg);
      if (folded.kind !== 'step') throw new Error(`unexpected ${folded.kind}`);
      state = folded.result.state;
      return folded.result.recommendation.targetReplicas;
    },
  };
  const result = simulate(demand, policy, { tickS, startupS: 60, capacityRps: defaultCapacity(demand), startMs: Date.UTC(2026, 0, 1) });
  return { ...result, overServing: state!.saturationOverServing };
}

describe('scale replay: a simulator that does not report how many replicas serve', () => {
  for (const [name, tickS] of [['flash', 10], ['step', 30]] as const) {
    describe(`${name} at ${tickS} s`, () => {
      const withReady = run('withReady', name, tickS);

      it.each([
        { report: 'overServing', reads: 'over the serving replicas', asServing: true },
        { report: 'overAll', reads: 'over every running replica', asServing: false },
      ] as const)('utilisation $reads: read as such, and the loop runs as with the count', ({ report, asServing }) => {
        const r = run(report, name, tickS);
        expect(r.overServing >= UNDECIDED).toBe(asServing);
        expect(r.unservedShare).toBeLessThanOrEqual(withReady.unservedShare * 1.25 + 1e-5);
        expect(Math.abs(r.replicaHours / withReady.replicaHours - 1)).toBeLessThan(0.03);
        expect(r.changes).toBeLessThanOrEqual(withReady.changes * 1.15);
      });
    });
  }
});
