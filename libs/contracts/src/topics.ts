import type { SchemaName, TopicSpec } from './topic-spec';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function topic<S extends SchemaName>(spec: TopicSpec<S>): TopicSpec<S> {
  return Object.freeze(spec);
}

/**
 * The topic catalog: the one place that says which topics exist. Every topic a consumer group reads
 * has a dead-letter topic (the consumer refuses to start otherwise): a record that can be neither
 * handled nor set aside would hold its partition for good. Services create topics from it at
 * start, the bus types records by it, and docs/topics.md and the README table are generated from it.
 * Partition counts are sized for a small cluster: telemetry fans out widest because it carries the
 * most records and scales detectors by partition.
 */
export const topics = Object.freeze({
  telemetryRaw: topic({
    name: 'telemetry.raw', key: 'asset id', valueSchema: 'maestro.telemetry.HealthSignal',
    partitions: 6, cleanupPolicy: 'delete', retentionMs: DAY_MS,
    producers: ['assets and their agents', 'gateway (POST /v1/telemetry)'], consumers: ['ingest'], deadLetter: true,
    description: 'Health signals as producers send them.',
  }),
  telemetrySamples: topic({
    name: 'telemetry.samples', key: 'asset id', valueSchema: 'maestro.telemetry.TelemetrySample',
    partitions: 6, cleanupPolicy: 'delete', retentionMs: DAY_MS,
    producers: ['ingest'], consumers: ['detector', 'discovery', 'optimizer', 'router', 'healer'], deadLetter: true,
    description: 'Validated, normalised samples in canonical units.',
  }),
  assets: topic({
    name: 'assets', key: 'asset id', valueSchema: 'maestro.discovery.AssetEvent',
    partitions: 3, cleanupPolicy: 'compact', retentionMs: -1,
    producers: ['discovery'], consumers: ['router', 'healer', 'projector'], deadLetter: true,
    description: 'The asset registry: each asset\'s latest state and lifecycle change.',
  }),
  anomalies: topic({
    name: 'anomalies', key: 'asset id', valueSchema: 'maestro.detection.Anomaly',
    partitions: 6, cleanupPolicy: 'delete', retentionMs: 7 * DAY_MS,
    producers: ['detector'], consumers: ['healer', 'router', 'projector'], deadLetter: true,
    description: 'Anomalies with kind, severity and evidence.',
  }),
  healingActions: topic({
    name: 'healing.actions', key: 'asset id', valueSchema: 'maestro.healing.HealingAction',
    partitions: 3, cleanupPolicy: 'delete', retentionMs: 7 * DAY_MS,
    producers: ['healer'], consumers: ['executors', 'projector'], deadLetter: true,
    description: 'Interventions to carry out, each with a dedupe id.',
  }),
  healingResults: topic({
    name: 'healing.results', key: 'asset id', valueSchema: 'maestro.healing.HealingResult',
    partitions: 3, cleanupPolicy: 'delete', retentionMs: 7 * DAY_MS,
    producers: ['executors'], consumers: ['healer', 'projector'], deadLetter: true,
    description: 'What executors report after acting.',
  }),
  recommendations: topic({
    name: 'recommendations', key: 'asset id', valueSchema: 'maestro.optimization.Recommendation',
    partitions: 3, cleanupPolicy: 'compact', retentionMs: -1,
    producers: ['optimizer'], consumers: ['operators', 'autoscalers', 'projector'], deadLetter: true,
    description: 'Capacity recommendations, published on change; compacted to the latest per asset.',
  }),
  jobRequests: topic({
    name: 'jobs.requests', key: 'job id', valueSchema: 'maestro.routing.JobRequest',
    partitions: 3, cleanupPolicy: 'delete', retentionMs: 7 * DAY_MS,
    producers: ['job submitters'], consumers: ['router', 'projector'], deadLetter: true,
    description: 'Jobs to place.',
  }),
  jobsRouted: topic({
    name: 'jobs.routed', key: 'job id', valueSchema: 'maestro.routing.RoutingDecision',
    partitions: 3, cleanupPolicy: 'delete', retentionMs: 7 * DAY_MS,
    producers: ['router'], consumers: ['job runners', 'projector'], deadLetter: true,
    description: 'Routing decisions with score breakdown, fallbacks and refusals.',
  }),
  protocolRequests: topic({
    name: 'protocol.requests', key: 'charter id', valueSchema: 'maestro.protocol.ProtocolRequest',
    partitions: 6, cleanupPolicy: 'delete', retentionMs: DAY_MS,
    producers: ['gateway', 'dispatcher (lease expiry, to itself)'], consumers: ['planner', 'dispatcher'], deadLetter: true,
    description: 'MAESTRO protocol calls that passed the gateway, and the dispatcher\'s internal lease-expiry requests (no reply), so every change of a charter goes through its partition.',
  }),
  protocolReplies: topic({
    name: 'protocol.replies', key: 'gateway replica id', valueSchema: 'maestro.protocol.ProtocolReply',
    partitions: 3, cleanupPolicy: 'delete', retentionMs: HOUR_MS,
    producers: ['planner', 'dispatcher'], consumers: ['gateway (every replica, its own group)'], deadLetter: true,
    description: 'Replies to protocol calls, read by every gateway replica and kept by the one that waits.',
  }),
  plans: topic({
    name: 'plans', key: 'charter id, or <charterId>/<goalId>/v<version>', valueSchema: 'maestro.planning.PlanState',
    partitions: 6, cleanupPolicy: 'compact', retentionMs: -1,
    producers: ['planner'], consumers: ['planner (replayed into Redis when its copy is missing)', 'projector'], deadLetter: true,
    description: 'The planner\'s state, event-sourced: each charter with its goal summaries, and each refined goal version with its graph and plan.',
  }),
  executions: topic({
    name: 'executions', key: 'charter id', valueSchema: 'maestro.dispatch.ExecutionRecord',
    partitions: 6, cleanupPolicy: 'compact', retentionMs: -1,
    producers: ['dispatcher'], consumers: ['dispatcher (replayed into Redis when its copy is missing)', 'projector'], deadLetter: true,
    description: 'The dispatcher\'s state, event-sourced: the execution of every committed goal of a charter (leases, work orders, actuals).',
  }),
  audit: topic({
    name: 'audit', key: 'subject id', valueSchema: 'maestro.audit.AuditRecord',
    partitions: 3, cleanupPolicy: 'delete', retentionMs: 30 * DAY_MS,
    producers: ['every service'], consumers: ['auditors', 'projector'], deadLetter: true,
    description: 'Every decision, refusal and suppression with its reasons.',
  }),
});

/** Catalog key of a topic, e.g. `telemetryRaw`. */
export type TopicKey = keyof typeof topics;

/** Every topic in the catalog, in a stable order. */
export const allTopics: readonly TopicSpec[] = Object.values(topics);

/** Dead-letter topics share the source's partitioning and keep records long enough to investigate. */
export function deadLetterTopicName(sourceTopic: string): string {
  return `${sourceTopic}.dlq`;
}

export const deadLetterSchema: SchemaName = 'maestro.bus.DeadLetter';
export const deadLetterRetentionMs = 14 * DAY_MS;
