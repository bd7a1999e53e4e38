/**
 * One telemetry sample through the optimiser core: map it (`sample-mapping.ts`), then `step`. Pure.
 * The service's batch handler, the stdio adapter and the replay harness all go through this one
 * function, so a replayed or simulated recommendation is the one the service would publish.
 */
import type { TelemetrySample } from '@maestro/contracts';
import { step, type OptimizerConfig, type OptimizerState, type StepResult } from './domain';
import { toOptimizationSample } from './sample-mapping';

/** What one sample did: folded into the state, skipped (no load metric, or not newer), or refused. */
export type TelemetryStep =
  | { readonly kind: 'step'; readonly result: StepResult }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Folds one sample into the asset's state (null for an asset not seen yet). */
export function stepTelemetry(state: OptimizerState | null, value: TelemetrySample, config: OptimizerConfig): TelemetryStep {
  // Redelivered or out-of-order: the core would ignore it too; answering skip keeps the state as is.
  if (state && value.timestampMs <= state.lastSampleAtMs) return { kind: 'skip', reason: 'not newer than the last sample' };
  const mapped = toOptimizationSample(value, state && state.replicas > 0 ? { replicas: state.replicas, sizeUnits: state.sizeUnits } : null);
  if (mapped.kind === 'skip') return mapped;
  if (mapped.kind === 'invalid') return { kind: 'invalid', reason: `sample for ${value.assetId} at ${value.timestampMs}: ${mapped.reason}` };
  return { kind: 'step', result: step(state, mapped.sample, config) };
}
