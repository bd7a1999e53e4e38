/**
 * The services' side of plugins: loading MAESTRO_PLUGINS, containing every call, and adapting each
 * extension point to the service that runs it. Plugin authors need only the package root.
 */
export { pluginConfigSpec } from './config';
export { startPlugins, createPluginHost, type PluginBootContext, type PluginHost } from './boot';
export { loadPlugins, parsePluginList, moduleUrlOf, PLUGINS_VARIABLE, type LoadedPlugin, type LoadOptions } from './loader';
export { pluginShapeProblems, isPluginDefinition } from './shape';
export { createContainment, FAILURE_KINDS, type AnswerCheck, type CallSite, type Contained, type Containment, type ContainmentOptions, type FailureKind, type PluginFailure } from './containment';
export { createFailureRecorder, type FailureRecorder, type FailureRecorderOptions } from './failure-recorder';
export { healerExtensions, pluginFailureGuard, PLUGIN_FAILURE_GUARD, PLUGIN_FAILURE_PARAM, PLUGIN_PARAM, type HealerExtensions, type LadderTable } from './healer-extensions';
export { gatewayPolicyHooks, routerPolicyHooks } from './decision-hooks';
export {
  discoverySources, runnerTypes, signalMeter, DEFAULT_PLUGIN_PRECEDENCE, DEFAULT_RUNNER_TIMEOUT_MS,
  type MeasuredSignal, type PluginRunnerType, type PluginSource, type SignalMeter,
} from './io-extensions';
