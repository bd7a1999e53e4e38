/**
 * A service's plugins: loaded at boot from MAESTRO_PLUGINS, with one containment whose failures are
 * counted and audited. Each service asks for its own extension points; the rest is ignored.
 */
import type { Registry } from 'prom-client';
import { topics, type AuditRecord } from '@maestro/contracts';
import type { BusProducer, OutboundRecord } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import { createContainment, type Containment } from './containment';
import { createFailureRecorder } from './failure-recorder';
import { gatewayPolicyHooks, routerPolicyHooks } from './decision-hooks';
import { healerExtensions, type HealerExtensions } from './healer-extensions';
import { discoverySources, runnerTypes, signalMeter, type PluginRunnerType, type PluginSource, type SignalMeter } from './io-extensions';
import { loadPlugins, parsePluginList, type LoadedPlugin } from './loader';
import type { GatewayPolicyHook } from '../points/gateway';
import type { RouterPolicyHook } from '../points/router';

/** What loading needs from the service's context (a `ServiceContext` has all of it). */
export interface PluginBootContext {
  readonly name: string;
  readonly config: { readonly plugins: string; readonly pluginTimeoutMs: number };
  readonly logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  readonly metrics: Registry;
  readonly producer: Pick<BusProducer, 'send'>;
  audit(entry: AuditEntry): OutboundRecord<AuditRecord>;
  now(): number;
}

/** The loaded plugins, by extension point, each call contained. */
export interface PluginHost {
  readonly plugins: readonly LoadedPlugin[];
  readonly containment: Containment;
  healer(): HealerExtensions;
  routerPolicyHooks(): RouterPolicyHook[];
  gatewayPolicyHooks(): GatewayPolicyHook[];
  discoverySources(): PluginSource[];
  runnerTypes(): PluginRunnerType[];
  /** Null when no plugin has a signal. */
  signalMeter(): SignalMeter | null;
}

/** Builds the host from already loaded plugins (tests, and `startPlugins`). */
export function createPluginHost(plugins: readonly LoadedPlugin[], containment: Containment): PluginHost {
  const definitions = plugins.map((p) => p.definition);
  return {
    plugins,
    containment,
    healer: () => healerExtensions(definitions, containment),
    routerPolicyHooks: () => routerPolicyHooks(definitions, containment),
    gatewayPolicyHooks: () => gatewayPolicyHooks(definitions, containment),
    discoverySources: () => discoverySources(definitions, containment),
    runnerTypes: () => runnerTypes(definitions, containment),
    signalMeter: () => signalMeter(definitions, containment),
  };
}

/**
 * Loads MAESTRO_PLUGINS for a service. Throws a ConfigError (the service does not start) when a
 * module is missing or malformed; with the variable empty it returns a host with no plugins.
 */
export async function startPlugins(ctx: PluginBootContext, cwd: string = process.cwd()): Promise<PluginHost> {
  const plugins = await loadPlugins({ specifiers: parsePluginList(ctx.config.plugins), cwd });
  const recorder = createFailureRecorder({
    metrics: ctx.metrics, logger: ctx.logger, now: () => ctx.now(),
    audit: (entries) => ctx.producer.send(topics.audit, entries.map((e) => ctx.audit(e))),
  });
  const containment = createContainment({ timeoutMs: ctx.config.pluginTimeoutMs, onFailure: (f) => recorder.record(f) });
  if (plugins.length > 0) {
    ctx.logger.info({ plugins: plugins.map((p) => ({ name: p.definition.name, version: p.definition.version, module: p.specifier })), timeoutMs: containment.timeoutMs }, 'plugins loaded');
  }
  return createPluginHost(plugins, containment);
}
