/**
 * Discovery: the asset registry, merged from snapshot providers (a static file, an HTTP endpoint)
 * and the telemetry stream, published to the compacted `assets` topic keyed by asset id.
 *
 * Wiring choices:
 * - Replicas scale for availability, not throughput: every replica consumes ALL of
 *   `telemetry.samples` in a group of its own (suffix = replica id, from the latest offset) and
 *   keeps the latest observation per asset in memory (`telemetry-tracker.ts`). One leader, chosen
 *   by a lease in Redis (`leader-lease.ts`: SET NX PX, compare-and-extend in Lua, released on
 *   shutdown), reconciles, evaluates, polls providers and publishes; a standby only remembers, so
 *   it can take over with a complete picture within a lease TTL of the leader's death.
 * - Telemetry batches, poll rounds and evaluation ticks run through one serial queue
 *   (`discovery-loop.ts`): each round is one `reconcile`/`evaluate` call, one `sendMany` of the
 *   AssetEvents plus their `discovery.change` audit records, then one Redis write of the whole
 *   state (fenced by the lease in the same script, `registry-store.ts`).
 * - On becoming leader the state is loaded from Redis, else rebuilt from the assets topic read to
 *   its end (`assets-topic.ts`); the first round polls every provider and vouches for every asset
 *   seen alive, and telemetry rounds and evaluation wait for it.
 * - Provider failures never crash the service: they are logged with their reasons and audited as
 *   `discovery.provider` refusals once per distinct problem, and the source's last good snapshot
 *   (or, at start, what the registry already holds) stands.
 * - Telemetry offsets matter little here: a replica restarts as a new group from the latest offset,
 *   because the registry already holds what older samples said.
 */
import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { ConfigError, defineService, integer, optionalText } from '@maestro/runtime';
import { assetOwnersKey } from '@maestro/telemetry';
import { pluginConfigSpec, startPlugins } from '@maestro/plugin-sdk/host';
import { readAssetsTopic } from './assets-topic';
import { createDiscoveryLoop } from './discovery-loop';
import { DEFAULT_DISCOVERY_CONFIG, DiscoveryConfigError, resolveDiscoveryConfig, sourcesOf, type DiscoveryProvider, type ResolvedDiscoveryConfig } from './domain/index';
import { createLeaderLease } from './leader-lease';
import { createHttpEndpointProvider, createStaticFileProvider, createTelemetryImpliedProvider } from './providers/index';
import { createPluginProvider } from './providers/plugin-provider';
import { createRegistryStore } from './registry-store';
import { createTelemetryTracker } from './telemetry-tracker';

/** Which variable each lifecycle window comes from, to name it when the core refuses a value. */
const WINDOW_VARIABLES: Record<string, string> = {
  staleAfterMs: 'DISCOVERY_STALE_AFTER_MS',
  removalGraceMs: 'DISCOVERY_REMOVAL_GRACE_MS',
  telemetryRetentionMs: 'DISCOVERY_TELEMETRY_RETENTION_MS',
};

export const definition = defineService({
  name: 'discovery',
  defaultPort: 9104,
  config: {
    staticFile: optionalText('DISCOVERY_STATIC_FILE', 'Path of a JSON array of assets read on every poll; empty disables the static source'),
    httpUrl: optionalText('DISCOVERY_HTTP_URL', 'URL answering a JSON array of assets (a CMDB); empty disables the HTTP source', /^https?:\/\/\S+$/),
    httpTimeoutMs: integer('DISCOVERY_HTTP_TIMEOUT_MS', 'Budget of one HTTP poll, body included; keep it under the poll interval', { default: 5_000, min: 100 }),
    pollIntervalMs: integer('DISCOVERY_POLL_INTERVAL_MS', 'Time between two polls of the snapshot sources', { default: 30_000, min: 100 }),
    keepLastGoodMs: integer('DISCOVERY_KEEP_LAST_GOOD_MS', 'How long a failing snapshot source\'s last good answer is still served', { default: 900_000, min: 0 }),
    staleAfterMs: integer('DISCOVERY_STALE_AFTER_MS', 'An asset without telemetry for this long is published as stale', { default: DEFAULT_DISCOVERY_CONFIG.staleAfterMs, min: 1 }),
    removalGraceMs: integer('DISCOVERY_REMOVAL_GRACE_MS', 'How long nothing must vouch for an asset before it is published as removed', { default: DEFAULT_DISCOVERY_CONFIG.removalGraceMs, min: 0 }),
    telemetryRetentionMs: integer('DISCOVERY_TELEMETRY_RETENTION_MS', 'How long telemetry alone vouches for an asset no snapshot source lists (at least the stale window)', { default: DEFAULT_DISCOVERY_CONFIG.telemetryRetentionMs, min: 1 }),
    evaluateIntervalMs: integer('DISCOVERY_EVALUATE_INTERVAL_MS', 'How often staleness and removal deadlines are checked between other rounds', { default: 5_000, min: 50 }),
    leaseTtlMs: integer('DISCOVERY_LEASE_TTL_MS', 'Leader lease lifetime: the longest a dead leader delays a takeover', { default: 10_000, min: 300 }),
    rebuildTimeoutMs: integer('DISCOVERY_REBUILD_TIMEOUT_MS', 'Bound on reading the assets topic to its end when no state is stored', { default: 60_000, min: 1_000 }),
    ...pluginConfigSpec,
  },
  topics: [topics.telemetrySamples, topics.assets],
  async setup(ctx) {
    const c = ctx.config;
    const plugins = await startPlugins(ctx);
    const providers: DiscoveryProvider[] = [
      ...(c.staticFile ? [createStaticFileProvider({ path: c.staticFile, keepLastGoodMs: c.keepLastGoodMs })] : []),
      ...(c.httpUrl ? [createHttpEndpointProvider({ url: c.httpUrl, timeoutMs: c.httpTimeoutMs, keepLastGoodMs: c.keepLastGoodMs })] : []),
      // A plugin source gets the HTTP source's budget: both are remote inventories.
      ...plugins.discoverySources().map((source) => createPluginProvider(source, { timeoutMs: c.httpTimeoutMs, keepLastGoodMs: c.keepLastGoodMs })),
    ];
    const telemetry = createTelemetryImpliedProvider();
    const config = resolveConfig({ sources: sourcesOf(providers, [telemetry]), staleAfterMs: c.staleAfterMs, removalGraceMs: c.removalGraceMs, telemetryRetentionMs: c.telemetryRetentionMs });

    // One hash tag ({all}) for both keys: the fenced save script touches the two at once.
    const leaseKey = ctx.keys.key('discovery', 'leader', 'all');
    const stateKey = ctx.keys.key('discovery', 'registry', 'all');
    const lease = createLeaderLease({
      redis: ctx.redis, key: leaseKey, holder: c.replicaId, ttlMs: c.leaseTtlMs, logger: ctx.logger.child({ component: 'lease' }), now: ctx.now,
      // The loop is created below; the lease calls back only once started, after both exist.
      onAcquired: () => discovery.takeOver(),
      onLost: () => discovery.standDown(),
    });
    let rebuilds = 0;
    const discovery = createDiscoveryLoop({
      config, providers, telemetry, lease,
      tracker: createTelemetryTracker(),
      store: createRegistryStore({ redis: ctx.redis, stateKey, leaseKey, holder: c.replicaId, logger: ctx.logger }),
      readPublished: () => readAssetsTopic({
        kafka: ctx.kafka, codecs: ctx.codecs, timeoutMs: c.rebuildTimeoutMs, logger: ctx.logger,
        groupId: `${c.topicPrefix}discovery.rebuild.${c.replicaId}.${++rebuilds}`,
      }),
      async publish(events, audits) {
        await ctx.producer.sendMany([
          { spec: topics.assets, records: events.map((event) => ({ key: event.assetId, value: event })) },
          { spec: topics.audit, records: audits.map(ctx.audit) },
        ]);
        // The owners the gateway checks telemetry against: what discovery's sources say wins over a
        // reporter's claim (a tenant from telemetry is the claim itself, so rewriting it is harmless).
        const owned = events.filter((event) => event.tenant !== null).map((event) => [event.assetId, event.tenant!]);
        if (owned.length > 0) await ctx.redis.hset(assetOwnersKey(ctx.keys), Object.fromEntries(owned));
      },
      pollIntervalMs: c.pollIntervalMs,
      evaluateIntervalMs: c.evaluateIntervalMs,
      logger: ctx.logger,
      now: ctx.now,
    });

    ctx.consumer([
      // A replica's own group: it needs the live stream, not the topic's history.
      subscription(topics.telemetrySamples, (records) => discovery.observeSamples(records.map((r) => r.value)), { fromBeginning: false }),
    ], { groupSuffix: c.replicaId, partitionsConsumedConcurrently: 3 });
    ctx.readiness.add('leader lease', () => {
      if (!lease.healthy()) throw new Error('the lease loop has not reached Redis within a lease TTL');
    });
    ctx.logger.info({ sources: config.sources.map((s) => s.name), leaseTtlMs: c.leaseTtlMs }, 'discovery sources configured');

    discovery.start();
    lease.start();
    // Registered here, so they run after the consumers stopped and before the producer and Redis
    // close: finish the round in progress, then hand the lease over at once rather than at expiry.
    ctx.lifecycle.onStop('leader lease', () => lease.stop());
    ctx.lifecycle.onStop('discovery loop', () => discovery.stop());
  },
});

/** The core's validation, reported like any other bad variable: by name, stopping the start. */
function resolveConfig(input: Parameters<typeof resolveDiscoveryConfig>[0]): ResolvedDiscoveryConfig {
  try {
    return resolveDiscoveryConfig(input);
  } catch (err: unknown) {
    if (err instanceof DiscoveryConfigError) throw new ConfigError(WINDOW_VARIABLES[err.field] ?? `discovery ${err.field}`, err.message);
    throw err;
  }
}
