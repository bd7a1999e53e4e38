/**
 * @maestro/plugin-sdk: extend Maestro without forking it. A plugin module default-exports
 * `definePlugin({ name, version, ... })` and is named in MAESTRO_PLUGINS (docs/plugins.md).
 */
export { definePlugin, defineRunner, type PluginDefinition, type PolicyHooks } from './plugin';
export type { JsonValue } from './points/json';
export type {
  ActionParams, ActionPlan, ExpectedRecovery, HealerAnomaly, HealerAsset, HealerIntervention, HealerPolicyContext, HealerPolicyHook,
  HealerPolicyVerdict, LadderPlacement, ResponseStrategy, StrategyContext,
} from './points/healer';
export type { RouterCandidate, RouterJob, RouterPolicyContext, RouterPolicyHook, RouterPolicyResult } from './points/router';
export type { GatewayPolicyContext, GatewayPolicyDecision, GatewayPolicyHook } from './points/gateway';
export type { AssetEntry, DiscoveryPollContext, DiscoveryProvider } from './points/discovery';
export type { RunContext, RunOutcome, RunRequest, RunnerType } from './points/executor';
export type { OptimisationSignal, SignalReading, SignalSample } from './points/optimizer';
