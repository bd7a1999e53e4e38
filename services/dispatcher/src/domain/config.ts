/**
 * Dispatcher settings. They are stored in the execution state at commit so that replaying the
 * event-sourced topic reproduces the same leases, whatever the current deployment is configured with.
 */

/** How leases are sized and how many orders one request may take. */
export interface DispatcherConfig {
  /**
   * Shortest lease. An executor that has not reported by then is presumed gone and its step is
   * handed out again. @default 60_000
   */
  readonly leaseMs: number;
  /**
   * A lease lasts at least this multiple of the step's estimate, so that a long step is not taken
   * away from a healthy executor half-way through. @default 2
   */
  readonly leaseEstimateFactor: number;
  /** Upper bound on `maxOrders` in one dispatch request, so one pool cannot drain the plan. @default 16 */
  readonly maxOrdersPerRequest: number;
}

/** The settings the dispatcher runs with unless configured otherwise. */
export const DEFAULT_DISPATCHER_CONFIG: DispatcherConfig = Object.freeze({
  leaseMs: 60_000,
  leaseEstimateFactor: 2,
  maxOrdersPerRequest: 16,
});

/**
 * Fills defaults and validates. Throws a RangeError naming the setting: a bad value must stop the
 * process at boot, not surface as a lease that expires at once.
 */
export function resolveDispatcherConfig(input: Partial<DispatcherConfig> = {}): DispatcherConfig {
  const config: DispatcherConfig = { ...DEFAULT_DISPATCHER_CONFIG, ...input };
  if (!Number.isSafeInteger(config.leaseMs) || config.leaseMs <= 0) {
    throw new RangeError(`dispatcher leaseMs must be a positive integer, got ${String(config.leaseMs)}`);
  }
  if (!Number.isFinite(config.leaseEstimateFactor) || config.leaseEstimateFactor < 1) {
    throw new RangeError(`dispatcher leaseEstimateFactor must be a finite number >= 1, got ${String(config.leaseEstimateFactor)}`);
  }
  if (!Number.isSafeInteger(config.maxOrdersPerRequest) || config.maxOrdersPerRequest < 1) {
    throw new RangeError(`dispatcher maxOrdersPerRequest must be a positive integer, got ${String(config.maxOrdersPerRequest)}`);
  }
  return Object.freeze(config);
}

/** The lease length for a step: the configured floor or the scaled estimate, whichever is longer. */
export function leaseLengthMs(config: DispatcherConfig, estimateMs: number): number {
  return Math.max(config.leaseMs, Math.ceil(estimateMs * config.leaseEstimateFactor));
}
