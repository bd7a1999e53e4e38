/**
 * The two variables of plugins, spread into the config spec of every service that has extension
 * points (healer, router, gateway, discovery, executor, optimizer), so they are parsed and checked
 * at boot like the service's own and listed in docs/configuration.md under each.
 */
import { integer, optionalText } from '@maestro/runtime';

export const pluginConfigSpec = {
  plugins: optionalText('MAESTRO_PLUGINS', 'Plugin modules, comma-separated: paths (relative to the working directory) or package names, each default-exporting definePlugin(...) from @maestro/plugin-sdk (docs/plugins.md). A module that cannot be loaded or is malformed stops the service at start, naming it'),
  pluginTimeoutMs: integer('MAESTRO_PLUGIN_TIMEOUT_MS', 'Budget of one plugin hook or strategy call, and deadline of a plugin signal: a call that throws or runs over it fails, its decision is refused with the reason, and maestro_plugin_failures_total counts it', { default: 1_000, min: 1, max: 60_000 }),
};
