/**
 * Publish on change only. A recommendation is "the same" when action, target replicas and target
 * size are: confidence and evidence move with every sample and would otherwise republish constantly.
 * Before anything is published the implicit recommendation is hold, so warm-up publishes nothing.
 */
import type { OptimizerConfig } from './config';
import { observe } from './observe';
import { recommend } from './recommend';
import type { Recommendation } from './recommendation';
import type { OptimizationSample } from './sample';
import type { OptimizerState } from './state';

/** Whether `rec` differs from what the state last published. */
export function hasChanged(state: OptimizerState, rec: Recommendation): boolean {
  const p = state.published;
  if (p === null) return rec.action !== 'hold';
  return p.action !== rec.action || p.targetReplicas !== rec.targetReplicas || p.targetSizeUnits !== rec.targetSizeUnits;
}

/**
 * Records that `rec` was published. A replica change is also remembered as a scale event, which the
 * rate limits count from, whether or not the actuator has applied it yet.
 */
export function acknowledge(state: OptimizerState, rec: Recommendation): OptimizerState {
  const scaled = rec.targetReplicas !== rec.currentReplicas;
  return {
    ...state,
    published: { action: rec.action, targetReplicas: rec.targetReplicas, targetSizeUnits: rec.targetSizeUnits, atMs: rec.atMs },
    scaleEvents: scaled ? [...state.scaleEvents, { atMs: rec.atMs, from: rec.currentReplicas, to: rec.targetReplicas }] : state.scaleEvents,
  };
}

/** The result of one step: the new state, the recommendation, and whether to publish it. */
export interface StepResult {
  readonly state: OptimizerState;
  readonly recommendation: Recommendation;
  readonly changed: boolean;
}

/**
 * Observes a sample and recommends at the sample's time. When the recommendation changed, the
 * returned state already records it as published: the adapter publishes then saves the state, and
 * a crash between the two republishes once on replay, which consumers of a keyed topic tolerate.
 */
export function step(state: OptimizerState | null, sample: OptimizationSample, cfg: OptimizerConfig): StepResult {
  const observed = observe(state, sample, cfg);
  const recommendation = recommend(observed, cfg, observed.lastSampleAtMs);
  const changed = hasChanged(observed, recommendation);
  return { state: changed ? acknowledge(observed, recommendation) : observed, recommendation, changed };
}
