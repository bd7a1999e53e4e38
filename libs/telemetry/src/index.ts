/**
 * @maestro/telemetry: the health-signal contract shared by the gateway and ingest. Pure: no I/O,
 * the clock arrives as `nowMs`.
 */
export { TELEMETRY_ERROR_CODES, TELEMETRY_ERROR_CODE_LIST } from './errors';
export type { TelemetryErrorCode, ValidationError } from './errors';
export { METRIC_NAMES, METRIC_DOMAINS, METRIC_ALIASES, isMetricName, resolveMetric } from './metrics';
export type { MetricName, Metrics, MetricDomain, MetricAlias, MetricAliasName } from './metrics';
export { DEFAULT_SIGNAL_LIMITS, resolveSignalLimits } from './limits';
export type { SignalLimits } from './limits';
export type { RawHealthSignal, HealthSignal, ValidationResult } from './signal';
export { validateSignal } from './validate';
export type { ValidateOptions } from './validate';
export { toWireSignal, judgeWireSignal } from './wire';
export type { SignalOrigin } from './wire';
export { assetOwnersKey } from './asset-owners';
export type { GlobalKeys } from './asset-owners';
