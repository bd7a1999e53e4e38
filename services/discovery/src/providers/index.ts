/**
 * The built-in discovery providers (adapters: the file and HTTP ones do I/O) and the pieces they
 * share, for a provider written elsewhere (Kubernetes, a cloud API) to reuse.
 */
export { parseAssetList } from './asset-entry';
export type { ParsedAssetList } from './asset-entry';
export { failureMessage } from './failure-message';
export { createHttpEndpointProvider } from './http-endpoint';
export type { HttpEndpointProviderOptions } from './http-endpoint';
export { createSnapshotKeeper } from './last-good';
export type { SnapshotKeeper } from './last-good';
export { createStaticFileProvider } from './static-file';
export type { StaticFileProviderOptions } from './static-file';
export { createTelemetryImpliedProvider } from './telemetry-implied';
export type { TelemetryImpliedProviderOptions } from './telemetry-implied';
