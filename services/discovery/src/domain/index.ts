/**
 * Public API of discovery's pure core: configuration, the registry, merging, lifecycle and the
 * provider ports. No I/O; the clock arrives as `nowMs`. Adapters import from here only.
 */
export { dedupeAssets } from './asset';
export type { DiscoveredAsset, SourceReport } from './asset';
export { compareSources, findSource, sourceSpec, UnknownSourceError } from './catalog';
export { DEFAULT_DISCOVERY_CONFIG, DEFAULT_SOURCES, DiscoveryConfigError, resolveDiscoveryConfig } from './config';
export type { DiscoveryConfig, ResolvedDiscoveryConfig, SourceMode, SourceSpec } from './config';
export { assetVitals, evaluate, reconcile } from './lifecycle';
export type { AssetVitals, Evaluation } from './lifecycle';
export { canonicalList, DEFAULT_KIND, mergeContributions } from './merge';
export type { MergedAsset } from './merge';
export { sourcesOf } from './provider';
export type { DiscoveryProvider, PollOutcome, PollReport, TelemetryDiscoveryProvider } from './provider';
export { DiscoveryProviderError, pollProblem, PROVIDER_PROBLEM_CODES } from './provider-problems';
export type { ProviderProblem, ProviderProblemCode } from './provider-problems';
export { sameAttributes, toAssetEvent } from './published';
export { registryFromEvents } from './rebuild';
export { applyReport, emptyRegistry, REGISTRY_STATE_VERSION, restoreRegistry } from './registry';
export type { AssetEntry, Contribution, RegistryState } from './registry';
