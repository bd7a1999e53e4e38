/**
 * The projector: the read model of everything Maestro decides, in Redis, for the gateway's read API
 * and live stream (docs/read-api.md).
 *
 * - Consumes every decision topic (assets, anomalies, healing actions and results, recommendations,
 *   job requests and routing decisions, plans, executions, audit), every dead-letter topic, and
 *   telemetry samples (recent metric values per asset) — `projected-topics.ts`.
 * - Projects each record into an event (pure: `domain/project.ts`) and writes a batch in one Lua
 *   script: per-tenant indexes by time (all, per kind, per asset, per job), a per-tenant stream for
 *   the live feed, bounded by PROJECTOR_MAX_EVENTS and PROJECTOR_MAX_EVENTS_PER_ASSET, trimmed in
 *   the same call (`projection-store.ts`, `lua/project-batch.lua`).
 * - Survives restarts and a lost Redis by rebuilding from Kafka: a projection epoch per consumer
 *   group, started from the earliest retained records; idempotent by topic/partition/offset
 *   (`projection-consumer.ts`).
 * - Replicas split the partitions of the shared group; every gateway replica reads the same Redis.
 */
import { ensureTopics, registerCodecs } from '@maestro/bus';
import { allTopics } from '@maestro/contracts';
import { defineService } from '@maestro/runtime';
import { deadLetterTopics, decisionTopics } from './projected-topics';
import { createProjectionConsumer } from './projection-consumer';
import { createProjectionStore } from './projection-store';
import { projectorConfigSpec } from './projector-config';

export const definition = defineService({
  name: 'projector',
  defaultPort: 9110,
  config: projectorConfigSpec,
  // Every topic with a dead-letter topic too, so that each `.dlq` exists before it is subscribed to.
  topics: [...new Set([...decisionTopics.map((t) => t.spec), ...allTopics.filter((spec) => spec.deadLetter)])],
  async setup(ctx) {
    const store = createProjectionStore(ctx.redis, ctx.keys, ctx.config);
    // The runtime creates each `.dlq` with its source topic; their own specs are created and
    // registered here, apart, because a topic named twice in one creation request is refused.
    await ensureTopics({ kafka: ctx.kafka, specs: deadLetterTopics.map((t) => t.spec), topicPrefix: ctx.config.topicPrefix });
    const deadLetterCodecs = await registerCodecs({
      registry: ctx.registry, specs: deadLetterTopics.map((t) => t.spec), topicPrefix: ctx.config.topicPrefix,
    });
    const consumer = createProjectionConsumer(ctx, store, [
      { suffix: '', codecs: ctx.codecs, topics: decisionTopics },
      { suffix: '.dlq', codecs: deadLetterCodecs, topics: deadLetterTopics },
    ]);
    ctx.readiness.add(`group ${ctx.config.topicPrefix}projector.<epoch>`, () => {
      if (!consumer.joined()) throw new Error(`not a member of the projection's consumer group (epoch ${consumer.epoch() || 'none yet'})`);
    });
    ctx.lifecycle.onStop('projection consumer', () => consumer.stop());
    return consumer.start();
  },
});
