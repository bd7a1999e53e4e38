/**
 * How ingest orders and de-duplicates each asset's stream. Resolved once at boot.
 */
export interface OrderingConfig {
  /**
   * How far behind the newest accepted sample of an asset a sample may arrive and still be
   * accepted. Producers batch and retry, and a retried batch interleaves with fresh samples; 10 s
   * covers a couple of retries without letting a stale sample rewrite detector history.
   * @default 10_000
   */
  readonly lateToleranceMs: number;
  /**
   * Timestamps remembered per asset for de-duplication. Should be at least the sample rate times
   * `lateToleranceMs` (64 covers 6 samples/s at 10 s); beyond it the oldest are forgotten and the
   * dedupe horizon rises, so a sample can still never be accepted twice. About 1 KB of JSON per asset.
   * @default 64
   */
  readonly recentCapacity: number;
}

/** The ordering configuration ingest runs with unless configured otherwise. */
export const DEFAULT_ORDERING_CONFIG: OrderingConfig = Object.freeze({
  lateToleranceMs: 10_000,
  recentCapacity: 64,
});

/** Applies overrides to the defaults and freezes the result; throws naming a bad field. */
export function resolveOrderingConfig(overrides: Partial<OrderingConfig> = {}): OrderingConfig {
  const config: OrderingConfig = { ...DEFAULT_ORDERING_CONFIG, ...overrides };
  if (!Number.isSafeInteger(config.lateToleranceMs) || config.lateToleranceMs < 0) {
    throw new RangeError(`ordering lateToleranceMs must be a non-negative integer, got ${String(config.lateToleranceMs)}`);
  }
  // At least 1: with no memory at all every redelivery would have to be refused by the horizon.
  if (!Number.isSafeInteger(config.recentCapacity) || config.recentCapacity < 1) {
    throw new RangeError(`ordering recentCapacity must be a positive integer, got ${String(config.recentCapacity)}`);
  }
  return Object.freeze(config);
}
