/**
 * Bounds a health signal must respect. Resolved once at boot into a frozen object; the gateway and
 * ingest should resolve them from the same configuration so that a record accepted by one is
 * accepted by the other.
 */
export interface SignalLimits {
  /**
   * How far a timestamp may be ahead of the receiver clock. Hosts synchronised by NTP disagree by
   * milliseconds; 5 s also tolerates a badly synchronised container without letting a producer
   * place samples in detector windows that have not opened yet.
   * @default 5_000
   */
  readonly maxClockSkewMs: number;
  /**
   * How old a sample may be. Detector windows cover minutes; an older sample would land in a window
   * that is already closed and could only distort it.
   * @default 300_000
   */
  readonly maxAgeMs: number;
  /**
   * Metric entries per record. There are 7 canonical metrics; the bound stops a hostile record from
   * making validation build thousands of `unknown_metric` errors.
   * @default 16
   */
  readonly maxMetrics: number;
  /** Labels per record; they are copied into every downstream event. @default 32 */
  readonly maxLabels: number;
  /** @default 64 */
  readonly maxLabelKeyLength: number;
  /** @default 256 */
  readonly maxLabelValueLength: number;
  /** Asset ids become Kafka keys and part of Redis keys. @default 200 */
  readonly maxAssetIdLength: number;
  /** Length of `region` and `provider`. @default 64 */
  readonly maxAttributeLength: number;
}

/** The limits the services run with unless configured otherwise. */
export const DEFAULT_SIGNAL_LIMITS: SignalLimits = Object.freeze({
  maxClockSkewMs: 5_000,
  maxAgeMs: 300_000,
  maxMetrics: 16,
  maxLabels: 32,
  maxLabelKeyLength: 64,
  maxLabelValueLength: 256,
  maxAssetIdLength: 200,
  maxAttributeLength: 64,
});

/**
 * Applies overrides to the defaults and freezes the result. Throws naming the field when a value is
 * not a non-negative integer, so a bad configuration stops the process at boot.
 */
export function resolveSignalLimits(overrides: Partial<SignalLimits> = {}): SignalLimits {
  const limits: SignalLimits = { ...DEFAULT_SIGNAL_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`signal limit ${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
  return Object.freeze(limits);
}
