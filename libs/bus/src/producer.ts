import { CompressionTypes, type IHeaders, type Kafka, type Message, type Producer } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import type { Codecs } from './codecs';
import type { BusMetrics } from './metrics';
import { TRACEPARENT_HEADER, childTrace, formatTraceparent, type TraceContext } from './trace-context';

/** A record to produce: keyed by its entity id, so that one entity's records stay ordered. */
export interface OutboundRecord<T> {
  key: string;
  value: T;
  headers?: Record<string, string>;
  /** The trace this record continues; a new trace starts when absent. */
  trace?: TraceContext | null;
}

export interface TopicBatch<T extends TopicSpec = TopicSpec> {
  spec: T;
  records: OutboundRecord<ValueOf<T>>[];
}

export interface BusProducer {
  send<T extends TopicSpec>(spec: T, records: OutboundRecord<ValueOf<T>>[]): Promise<void>;
  /** Several topics in one request: one round trip per consumed batch, whatever it fans out to. */
  sendMany(batches: TopicBatch[]): Promise<void>;
  /** Already-encoded bytes (dead letters), to a prefixed topic name. */
  sendRaw(topic: string, messages: Message[]): Promise<void>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

function toMessage<T>(codecs: Codecs, spec: TopicSpec, record: OutboundRecord<T>): Message {
  const headers: IHeaders = { ...record.headers, [TRACEPARENT_HEADER]: formatTraceparent(childTrace(record.trace ?? null)) };
  return { key: record.key, value: codecs.encode(spec, record.value as never), headers };
}

/**
 * An idempotent producer: the broker drops a retried send it already wrote, so a retry after a lost
 * acknowledgement does not duplicate. kafkajs requires one request in flight for that guarantee.
 */
export function createProducer(kafka: Kafka, codecs: Codecs, metrics?: BusMetrics): BusProducer {
  // Unbounded retries (with the client's capped backoff) keep the broker's sequence numbers valid;
  // a send that cannot complete holds its batch uncommitted, which is the at-least-once answer.
  const producer: Producer = kafka.producer({
    idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false,
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: Number.MAX_SAFE_INTEGER },
  });

  async function sendMany(batches: TopicBatch[]): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.records.length > 0)
      .map((b) => ({ topic: codecs.topicName(b.spec), messages: b.records.map((r) => toMessage(codecs, b.spec, r)) }));
    if (topicMessages.length === 0) return;
    await producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
    for (const b of batches) if (b.records.length) metrics?.produced.inc({ topic: b.spec.name }, b.records.length);
  }

  return {
    send: (spec, records) => sendMany([{ spec, records } as TopicBatch]),
    sendMany,
    async sendRaw(topic, messages) {
      await producer.send({ topic, messages, acks: -1 });
      metrics?.produced.inc({ topic }, messages.length);
    },
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
  };
}
