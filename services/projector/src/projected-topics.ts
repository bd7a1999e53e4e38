/**
 * What the projector reads, and what each topic's record becomes: every decision topic of the
 * catalog, every dead-letter topic, and telemetry samples for the assets' recent metric values.
 */
import { allTopics, deadLetterRetentionMs, deadLetterSchema, deadLetterTopicName, topics, type TopicSpec, type ValueOf } from '@maestro/contracts';
import type { ProjectableRecord } from './domain';

/**
 * The catalog spec of `<topic>.dlq`, so the bus can create, register and decode it like any topic.
 * It has a dead-letter topic of its own (`<topic>.dlq.dlq`) because the bus consumes nothing without
 * one; only a record the bus itself could not have written would ever land there.
 */
export function deadLetterSpec(source: TopicSpec): TopicSpec<'maestro.bus.DeadLetter'> {
  return Object.freeze({
    name: deadLetterTopicName(source.name), key: source.key, valueSchema: deadLetterSchema as 'maestro.bus.DeadLetter',
    partitions: source.partitions, cleanupPolicy: 'delete', retentionMs: deadLetterRetentionMs,
    producers: [`consumers of ${source.name}`], consumers: ['projector'], deadLetter: true,
    description: `Records of ${source.name} that a consumer could not accept, with the reason.`,
  });
}

/** A topic the projector reads and how a record of it is seen. */
export interface ProjectedTopic<T extends TopicSpec = TopicSpec> {
  readonly spec: T;
  /** The projectable record, or 'sample' for telemetry samples. */
  readonly as: (value: ValueOf<T>) => ProjectableRecord | 'sample';
}

function projected<T extends TopicSpec>(spec: T, as: (value: ValueOf<T>) => ProjectableRecord | 'sample'): ProjectedTopic {
  return { spec, as } as unknown as ProjectedTopic;
}

/** The decision topics the projector consumes (their dead-letter topics are read apart: see ./service.ts). */
export const decisionTopics: readonly ProjectedTopic[] = [
  projected(topics.assets, (value) => ({ kind: 'asset', value })),
  projected(topics.anomalies, (value) => ({ kind: 'anomaly', value })),
  projected(topics.healingActions, (value) => ({ kind: 'action', value })),
  projected(topics.healingResults, (value) => ({ kind: 'result', value })),
  projected(topics.recommendations, (value) => ({ kind: 'recommendation', value })),
  projected(topics.jobRequests, (value) => ({ kind: 'job', value })),
  projected(topics.jobsRouted, (value) => ({ kind: 'routing', value })),
  projected(topics.plans, (value) => ({ kind: 'plan', value })),
  projected(topics.executions, (value) => ({ kind: 'execution', value })),
  projected(topics.audit, (value) => ({ kind: 'audit', value })),
  projected(topics.telemetrySamples, () => 'sample'),
];

/** Every dead-letter topic of the catalog. */
export const deadLetterTopics: readonly ProjectedTopic[] = allTopics.filter((spec) => spec.deadLetter)
  .map((spec) => projected(deadLetterSpec(spec), (value) => ({ kind: 'dead_letter', value })));
