/**
 * Ingest domain: ordering and de-duplication of each asset's stream. Per-record validation lives in
 * @maestro/telemetry, shared with the gateway.
 */
export { DEFAULT_ORDERING_CONFIG, resolveOrderingConfig } from './ordering-config';
export type { OrderingConfig } from './ordering-config';
export { EMPTY_STREAM_STATE, parseStreamState, trimToCapacity } from './stream-state';
export type { AssetStreamState } from './stream-state';
export { ORDERING_REJECTIONS, admitSample } from './ordering';
export type { Admission, OrderingRejection } from './ordering';
export { admitBatch, assetsOf } from './batch-admission';
export type { BatchAdmission } from './batch-admission';
