import { randomUUID } from 'node:crypto';
import { createBatchConsumer, type BatchConsumer, type Codecs } from '@maestro/bus';
import type { ServiceContext } from '@maestro/runtime';
import { createProjectHandler } from './project-handler';
import type { ProjectedTopic } from './projected-topics';
import type { ProjectionStore } from './projection-store';

/** The consumer of a projection epoch, replaced by a fresh one when the projection must be rebuilt. */
export interface ProjectionConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  joined(): boolean;
  epoch(): string;
}

/** The parts of the service context the consumer uses. */
export type ProjectionContext = Pick<ServiceContext<never>, 'kafka' | 'producer' | 'logger' | 'busMetrics' | 'now'> & { config: { topicPrefix: string; kafkaSessionTimeoutMs: number } };

/** Topics read in one consumer group of the epoch, with the codecs that know them. */
export interface ProjectionGroup {
  /** Appended to the epoch's group id ('' for the main group). */
  readonly suffix: string;
  readonly codecs: Codecs;
  readonly topics: readonly ProjectedTopic[];
}

/**
 * Each projection epoch reads in its own consumer group, `<prefix>projector.<epoch>`, which starts
 * at the earliest retained record of every topic. The epoch lives in Redis (the marker): while it is
 * there, a restart rejoins the same group and resumes from its committed offsets; when it is gone
 * (first start, Redis flushed or restarted without persistence), a new epoch starts and the read
 * model is rebuilt from Kafka. A replica that finds the marker gone while running stops its consumer
 * and starts the new epoch's; the applied offsets in Redis (per topic partition) keep a redelivered
 * batch from being projected twice.
 */
export function createProjectionConsumer(ctx: ProjectionContext, store: ProjectionStore, groups: readonly ProjectionGroup[]): ProjectionConsumer {
  let current: BatchConsumer[] = [];
  let epoch = '';
  let rebuilding: Promise<void> | null = null;
  let stopped = false;

  async function startEpoch(): Promise<void> {
    const claimed = await store.claimEpoch(`${ctx.now().toString(36)}-${randomUUID().slice(0, 8)}`);
    epoch = claimed.epoch;
    ctx.logger.info({ epoch, rebuild: claimed.isNew }, claimed.isNew ? 'projection starts from the earliest retained records' : 'projection resumes');
    current = groups.map((group) => createBatchConsumer({
      kafka: ctx.kafka, codecs: group.codecs, producer: ctx.producer, groupId: `${ctx.config.topicPrefix}projector.${epoch}${group.suffix}`,
      subscriptions: group.topics.map((t) => ({ spec: t.spec, handler: createProjectHandler(t, { store, epoch: () => epoch, onLost }) })),
      logger: ctx.logger, metrics: ctx.busMetrics, sessionTimeoutMs: ctx.config.kafkaSessionTimeoutMs, partitionsConsumedConcurrently: 3,
    }));
    await Promise.all(current.map((c) => c.start()));
  }

  function onLost(): void {
    if (rebuilding || stopped) return;
    ctx.logger.warn({ epoch }, 'the read model is gone from Redis; rebuilding it from Kafka');
    // Not awaited here: the lost batch's handler runs inside the consumer being stopped.
    rebuilding = (async () => {
      await Promise.all(current.map((c) => c.stop()));
      if (!stopped) await startEpoch();
    })().catch((error: unknown) => ctx.logger.error({ err: error }, 'rebuild of the read model failed')).finally(() => {
      rebuilding = null;
    });
  }

  return {
    start: startEpoch,
    async stop() {
      stopped = true;
      await rebuilding;
      await Promise.all(current.map((c) => c.stop()));
    },
    joined: () => current.length > 0 && current.every((c) => c.joined()),
    epoch: () => epoch,
  };
}
