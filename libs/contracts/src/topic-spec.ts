import type { SchemaTypes } from './generated/types';

/** Full name of an Avro record under schemas/avro, e.g. `maestro.telemetry.HealthSignal`. */
export type SchemaName = keyof SchemaTypes;

/** Everything the project knows about one topic: how to create it, what it carries, who uses it. */
export interface TopicSpec<S extends SchemaName = SchemaName> {
  /** Topic name before any deployment prefix (see `MAESTRO_TOPIC_PREFIX`). */
  readonly name: string;
  /** What the record key is; it decides ordering and partitioning. */
  readonly key: string;
  /** The Avro record carried as the value; registered under the subject `<topic>-value`. */
  readonly valueSchema: S;
  readonly partitions: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** -1 keeps records forever (compacted state topics). */
  readonly retentionMs: number;
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
  /** A consumer that cannot accept a record of this topic sends it to `<topic>.dlq`. */
  readonly deadLetter: boolean;
  readonly description: string;
}

/** The TypeScript type of a topic's record value, derived from its Avro schema. */
export type ValueOf<T extends TopicSpec> = T extends TopicSpec<infer S> ? SchemaTypes[S] : never;
