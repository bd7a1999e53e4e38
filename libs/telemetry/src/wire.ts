/**
 * The health signal on the `telemetry.raw` topic, both ways. The gateway validates a signal, then
 * publishes its normalised form with `toWireSignal`; ingest judges what it consumes with
 * `judgeWireSignal`. Both apply `validateSignal` with the same limits to the same converted values
 * at the same instant (`receivedAtMs`), so a signal the gateway accepted is accepted by ingest with
 * identical values, and one it would refuse is refused by ingest for the same reason when a producer
 * writes it to the topic directly. `normalised-signal.property.test.ts` proves it.
 */
import type { HealthSignal as WireSignal } from '@maestro/contracts';
import type { SignalLimits } from './limits';
import type { HealthSignal, ValidationResult } from './signal';
import { validateSignal } from './validate';

/** Who sent a signal and when the gateway judged it. */
export interface SignalOrigin {
  /** The tenant of the credential the signal was accepted under (the asset's owner). */
  readonly tenant: string | null;
  /** The gateway's clock when it validated the signal, epoch ms. */
  readonly receivedAtMs: number;
}

/** The normalised signal as the gateway publishes it: canonical names and units, nothing invented. */
export function toWireSignal(signal: HealthSignal, origin: SignalOrigin): WireSignal {
  return {
    assetId: signal.assetId,
    timestampMs: signal.timestampMs,
    metrics: { ...signal.metrics } as Record<string, number>,
    region: signal.region ?? null,
    provider: signal.provider ?? null,
    labels: { ...signal.labels },
    tenant: origin.tenant,
    receivedAtMs: origin.receivedAtMs,
  };
}

/**
 * Ingest's verdict on a consumed record: `validateSignal` at the instant the gateway judged it, or,
 * for a record a producer wrote directly (no `receivedAtMs`), at the broker's timestamp, so that a
 * replay gives the same verdicts either way.
 */
export function judgeWireSignal(value: WireSignal, brokerTimestampMs: number, limits: SignalLimits): ValidationResult {
  return validateSignal(value, { nowMs: value.receivedAtMs ?? brokerTimestampMs, limits });
}
