/**
 * The optimizer: capacity recommendations per asset from the telemetry stream.
 *
 * - Consumes `telemetry.samples` in the shared group `<prefix>optimizer`; replicas split the
 *   partitions, and an asset's samples stay in order on one partition.
 * - Maps each sample to the core's OptimizationSample (`sample-mapping.ts` documents which metric and
 *   label feeds which field: load from `saturation` or `cpu`, replicas from the `replicas` label,
 *   custom signals from `signal.<name>` labels). A sample without a load metric is skipped; a
 *   malformed one is dead-lettered with its reason.
 * - Keeps the core's state per asset in Redis (`asset-store.ts`): one MGET and one pipelined SET per
 *   batch, with a TTL so that retired assets are forgotten.
 * - Publishes a Recommendation keyed by asset id only when the core says it changed, each with an
 *   `optimization.recommendation` audit record in the same `sendMany` (`optimize-handler.ts`).
 * - The core decides in sample time, not wall-clock time: the windows below are measured between
 *   samples' timestamps, which is what makes replays deterministic and short test windows possible.
 */
import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';
import { pluginConfigSpec, startPlugins } from '@maestro/plugin-sdk/host';
import { createAssetStore } from './asset-store';
import { createOptimizeHandler } from './optimize-handler';
import { optimizerConfigSpec, toOptimizerConfig } from './service-config';

export const definition = defineService({
  name: 'optimizer',
  defaultPort: 9107,
  config: { ...optimizerConfigSpec, ...pluginConfigSpec },
  topics: [topics.telemetrySamples, topics.recommendations],
  async setup(ctx) {
    const config = toOptimizerConfig(ctx.config);
    const signals = (await startPlugins(ctx)).signalMeter();
    const handler = createOptimizeHandler({
      store: createAssetStore(ctx.redis, ctx.keys, ctx.config.stateTtlMs),
      config,
      publish: (recommendations, audits) => ctx.producer.sendMany([
        { spec: topics.recommendations, records: recommendations },
        { spec: topics.audit, records: audits },
      ]),
      audit: ctx.audit,
      signals,
    });
    ctx.consumer([subscription(topics.telemetrySamples, handler)], { partitionsConsumedConcurrently: 3 });
  },
});
