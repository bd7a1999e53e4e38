/**
 * Router: places each job of `jobs.requests` on an asset of the live registry, or refuses it with
 * every candidate's reasons, and publishes the decision on `jobs.routed` (keyed by job id) with a
 * `routing.decision` audit record in the same send. The decisions themselves are the pure core in
 * `domain/`; this file only wires it.
 *
 * Wiring choices:
 * - Every replica sees the whole picture. A group of its own (suffix = replica id) reads `assets`,
 *   `telemetry.samples` and `anomalies` into an in-memory view (`registry-view.ts`): the compiled
 *   candidate pool, rebuilt when the registry changes and patched when only performance does; a
 *   rolling window per asset (`performance-view.ts`: p95 latency and mean error rate over the last
 *   ROUTER_WINDOW_SAMPLES samples, latest unit cost and saturation); open anomalies, each expiring
 *   ROUTER_ANOMALY_TTL_MS after detection (the detector publishes no all-clear).
 * - The view is memory, so at boot the group is repositioned whatever it committed before
 *   (`catch-up.ts`): `assets` from the beginning (compacted, so the full registry), samples from
 *   now − ROUTER_TELEMETRY_LOOKBACK_MS (enough to fill the windows, not a day of history), anomalies
 *   from now − ROUTER_ANOMALY_TTL_MS (every anomaly that may still be open). Starting samples "at the
 *   end" instead would leave a new replica unable to score anything until each asset reported again.
 * - Readiness: not ready until that group's committed offsets reach the ends the three topics had at
 *   boot. Two replicas that are ready and have read the same records compile the same pool (assets in
 *   id order, numbers from event time), and the core is deterministic, so they decide alike; the one
 *   clock input is anomaly expiry against the decision time.
 * - On shutdown the view group is deleted (after the consumers left): it is repositioned at every
 *   boot anyway, and default replica ids are random, so the groups would otherwise pile up.
 * - Jobs are read in the shared group (no suffix), so each job is routed by one replica. A batch that
 *   arrives before the view caught up waits for it briefly, then fails and is retried by the runner.
 * - The core's rejection list is lazy (10,000 candidates); the record carries complete per-code
 *   counts and the first ROUTER_LISTED_REJECTIONS rejections by asset id (`routing-records.ts`).
 */
import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';
import { pluginConfigSpec, startPlugins } from '@maestro/plugin-sdk/host';
import { positionGroup, watchCatchUp } from './catch-up';
import { createRoutingView } from './registry-view';
import { createRouteHandler } from './route-handler';
import { compileRouterConfig, routerConfigSpec } from './router-config';

export const definition = defineService({
  name: 'router',
  defaultPort: 9108,
  config: { ...routerConfigSpec, ...pluginConfigSpec },
  topics: [topics.assets, topics.telemetrySamples, topics.anomalies, topics.jobRequests, topics.jobsRouted],
  async setup(ctx) {
    const c = ctx.config;
    const config = compileRouterConfig(c);
    // Plugin hooks are the router's only ones today; each is contained (a failure denies the candidate, naming the plugin).
    const hooks = (await startPlugins(ctx)).routerPolicyHooks();
    const view = createRoutingView({ window: { maxSamples: c.windowSamples, maxAgeMs: c.windowMs }, anomalyTtlMs: c.anomalyTtlMs });

    const viewGroup = `${c.topicPrefix}router.${c.replicaId}`;
    const admin = ctx.kafka.admin();
    await admin.connect();
    ctx.lifecycle.onStop('router admin', () => admin.disconnect());
    // Runs after the consumers left: the group is repositioned at every boot, so nothing in it is
    // worth keeping, and replica ids are random by default, so groups would otherwise pile up.
    ctx.lifecycle.onStop('view group', async () => {
      await admin.deleteGroups([viewGroup]).catch((err: unknown) => ctx.logger.debug({ err, viewGroup }, 'view group not deleted; the broker expires it'));
    });
    const bootMs = ctx.now();
    const ends = await positionGroup(ctx.kafka, admin, viewGroup, [
      { topic: ctx.codecs.topicName(topics.assets), from: 'earliest' },
      { topic: ctx.codecs.topicName(topics.telemetrySamples), from: 'time', atMs: bootMs - c.telemetryLookbackMs },
      { topic: ctx.codecs.topicName(topics.anomalies), from: 'time', atMs: bootMs - c.anomalyTtlMs },
    ]);
    const catchUp = watchCatchUp({ admin, groupId: viewGroup, ends, pollMs: 250, logger: ctx.logger });
    ctx.lifecycle.onStop('catch-up watch', () => catchUp.stop());
    ctx.readiness.add('routing view caught up', () => {
      if (!catchUp.caughtUp()) throw new Error(`${viewGroup} has not read assets, samples and anomalies to their ends at boot`);
    });

    ctx.consumer([
      subscription(topics.assets, async (records) => view.applyAssets(records.map((r) => r.value))),
      subscription(topics.telemetrySamples, async (records) => view.applySamples(records.map((r) => r.value))),
      subscription(topics.anomalies, async (records) => view.applyAnomalies(records.map((r) => r.value))),
    ], { groupSuffix: c.replicaId, partitionsConsumedConcurrently: 4 });

    ctx.consumer([
      subscription(topics.jobRequests, createRouteHandler({
        view, config, hooks,
        defaults: { costCeiling: c.defaultCostCeiling, latencyObjectiveMs: c.defaultLatencyObjectiveMs },
        listedRejections: c.listedRejections,
        waitForView: (timeoutMs) => catchUp.wait(timeoutMs),
        publish: (decisions, audits) => ctx.producer.sendMany([
          { spec: topics.jobsRouted, records: decisions },
          { spec: topics.audit, records: audits.map(ctx.audit) },
        ]),
        now: ctx.now,
      })),
    ], { partitionsConsumedConcurrently: 3 });
    ctx.logger.info({ viewGroup, windowSamples: c.windowSamples, anomalyTtlMs: c.anomalyTtlMs, fallbackCount: c.fallbackCount }, 'router wired');
  },
});
