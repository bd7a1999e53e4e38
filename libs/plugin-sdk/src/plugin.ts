/**
 * A plugin: one module, named in MAESTRO_PLUGINS, whose default export is `definePlugin({...})`.
 * Each service takes what is meant for it and ignores the rest, so one plugin can extend several.
 */
import type { DiscoveryProvider } from './points/discovery';
import type { RunnerType } from './points/executor';
import type { GatewayPolicyHook } from './points/gateway';
import type { HealerPolicyHook, ResponseStrategy } from './points/healer';
import type { OptimisationSignal } from './points/optimizer';
import type { RouterPolicyHook } from './points/router';

/** Policy hooks by the service that runs them. */
export interface PolicyHooks {
  readonly healer?: readonly HealerPolicyHook[];
  readonly router?: readonly RouterPolicyHook[];
  readonly gateway?: readonly GatewayPolicyHook[];
}

/** Everything a plugin may register; every part is optional but the name and version. */
export interface PluginDefinition {
  /** Names the plugin in audit records, metrics and errors: lowercase letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** The plugin's own version, logged at boot. */
  readonly version: string;
  /** Healer response strategies. */
  readonly strategies?: readonly ResponseStrategy[];
  readonly policyHooks?: PolicyHooks;
  readonly discoveryProviders?: readonly DiscoveryProvider[];
  /** Executor runner types. */
  readonly runners?: readonly RunnerType<unknown>[];
  readonly optimisationSignals?: readonly OptimisationSignal[];
}

/**
 * Declares a plugin. It only returns its argument (frozen), typed, so the editor checks the shape;
 * the services check it again when they load the module, since a plugin may be plain JavaScript.
 */
export function definePlugin<const P extends PluginDefinition>(plugin: P): P {
  return Object.freeze(plugin);
}

/**
 * Declares a runner type with typed settings: `configure` returns them and `run` receives them as
 * `ctx.settings`. Inside a plugin's `runners` list TypeScript cannot infer one settings type per
 * runner, so a runner with settings is written `defineRunner({...})`.
 */
export function defineRunner<S>(runner: RunnerType<S>): RunnerType<S> {
  return runner;
}
