import type { HealthSignal } from '@maestro/telemetry';
import { admitSample } from './ordering';
import type { Admission } from './ordering';
import type { OrderingConfig } from './ordering-config';
import { EMPTY_STREAM_STATE } from './stream-state';
import type { AssetStreamState } from './stream-state';

/** What one Kafka batch does to the streams of the assets it touches. */
export interface BatchAdmission {
  /** One admission per input sample, in input order. */
  readonly admissions: readonly Admission[];
  /** The new state of every asset whose state changed; the adapter writes exactly these back. */
  readonly changedStates: ReadonlyMap<string, AssetStreamState>;
}

/**
 * Admits a batch of validated samples, in offset order, threading each asset's state from one
 * sample to the next. Shaped for one Redis round trip per batch: the adapter loads the states of
 * the batch's assets (missing ones are empty), calls this, and writes `changedStates` back.
 */
export function admitBatch(
  states: ReadonlyMap<string, AssetStreamState>,
  signals: readonly HealthSignal[],
  nowMs: number,
  config: OrderingConfig,
): BatchAdmission {
  const current = new Map(states);
  const changedStates = new Map<string, AssetStreamState>();
  const admissions = signals.map((signal) => {
    const admission = admitSample(current.get(signal.assetId) ?? EMPTY_STREAM_STATE, signal, nowMs, config);
    if (admission.admitted) {
      current.set(signal.assetId, admission.state);
      changedStates.set(signal.assetId, admission.state);
    }
    return admission;
  });
  return { admissions, changedStates };
}

/** The distinct assets of a batch, in first-seen order: the keys the adapter loads before `admitBatch`. */
export function assetsOf(signals: readonly HealthSignal[]): string[] {
  return [...new Set(signals.map((signal) => signal.assetId))];
}
