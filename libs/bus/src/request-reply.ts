import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import type { Codecs } from './codecs';
import { createBatchConsumer, subscription, type BatchConsumer } from './consumer';
import type { PartitionStall } from './partition-stalls';
import { BusError } from './errors';
import type { Logger } from './logger';
import type { BusMetrics } from './metrics';
import type { BusProducer } from './producer';
import type { TraceContext } from './trace-context';

interface Correlated {
  correlationId: string;
  replyTo: string;
}

type CorrelatedSpec = TopicSpec & { valueSchema: 'maestro.protocol.ProtocolRequest' | 'maestro.protocol.ProtocolReply' };

export interface RequesterOptions<Req extends CorrelatedSpec, Rep extends CorrelatedSpec> {
  kafka: Kafka;
  codecs: Codecs;
  producer: BusProducer;
  requestSpec: Req;
  replySpec: Rep;
  /** Unique per process: replies carry it back, and only this replica keeps them. */
  replicaId: string;
  /** Group ids are `<groupPrefix>.replies.<replicaId>`. */
  groupPrefix: string;
  logger: Logger;
  metrics?: BusMetrics;
  /** How long the reply consumer may retry the same records before it counts as stalled. @default 30000 */
  stallAfterMs?: number;
}

export interface Requester<Req extends TopicSpec, Rep extends TopicSpec> {
  start(): Promise<void>;
  /** Sends a request and waits for its reply until `timeoutMs`; rejects with REQUEST_TIMEOUT after. */
  request(key: string, value: Omit<ValueOf<Req>, 'correlationId' | 'replyTo'>, options: RequestOptions<Rep>): Promise<ValueOf<Rep>>;
  /** Rejects what still waits (SHUTTING_DOWN) and leaves the reply group. Safe to call twice. */
  stop(): Promise<void>;
  joined(): boolean;
  /** Reply partitions stuck past `stallAfterMs` (readiness): while they are, no reply arrives. */
  stalled(): PartitionStall[];
  pending(): number;
}

export interface RequestOptions<Rep extends TopicSpec> {
  timeoutMs: number;
  trace?: TraceContext | null;
  /**
   * The request's correlation id. A retry of a call whose outcome is unknown sends the first
   * attempt's id again, so that a service that applied it answers with the kept reply instead of
   * applying it twice. @default a fresh UUID
   */
  correlationId?: string;
  /** Whether a reply with this correlation id answers this attempt (one meant for an earlier attempt with the same id may not); unaccepted replies are skipped. @default every reply */
  accept?(reply: ValueOf<Rep>): boolean;
}

/**
 * Request/reply over Kafka for the gateway. Every replica reads all reply partitions in a group of
 * its own and keeps the replies addressed to it; a reply therefore reaches the replica that waits
 * however the reply topic is partitioned, at the cost of each replica skipping the others' replies
 * (cheap: replies are small and the gateway fleet is a handful of replicas).
 */
export function createRequester<Req extends CorrelatedSpec, Rep extends CorrelatedSpec>(opts: RequesterOptions<Req, Rep>): Requester<Req, Rep> {
  const waiting = new Map<string, { resolve: (v: ValueOf<Rep>) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; accept?: (reply: ValueOf<Rep>) => boolean }>();
  let closed = false;
  const consumer: BatchConsumer = createBatchConsumer({
    kafka: opts.kafka,
    codecs: opts.codecs,
    producer: opts.producer,
    groupId: `${opts.groupPrefix}.replies.${opts.replicaId}`,
    logger: opts.logger,
    metrics: opts.metrics,
    partitionsConsumedConcurrently: opts.replySpec.partitions,
    // A reply is worth nothing once its caller has gone; a restarted replica starts at the end.
    commitOffsets: false,
    ...(opts.stallAfterMs !== undefined ? { stallAfterMs: opts.stallAfterMs } : {}),
    subscriptions: [
      subscription(opts.replySpec, async (records) => {
        for (const { value } of records) {
          const reply = value as unknown as Correlated;
          if (reply.replyTo !== opts.replicaId) continue;
          const entry = waiting.get(reply.correlationId);
          if (!entry) continue; // its caller already gave up
          if (entry.accept && !entry.accept(value as ValueOf<Rep>)) continue;
          clearTimeout(entry.timer);
          waiting.delete(reply.correlationId);
          entry.resolve(value as ValueOf<Rep>);
        }
      }, { fromBeginning: false }),
    ],
  });

  return {
    start: () => consumer.start(),
    async request(key, value, { timeoutMs, trace, correlationId = randomUUID(), accept }) {
      if (closed) throw new BusError('SHUTTING_DOWN', 'the requester is stopping');
      const full = { ...value, correlationId, replyTo: opts.replicaId } as unknown as ValueOf<Req>;
      const reply = new Promise<ValueOf<Rep>>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(correlationId);
          reject(new BusError('REQUEST_TIMEOUT', `no reply to ${opts.requestSpec.name} ${correlationId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(correlationId, { resolve, reject, timer, ...(accept ? { accept } : {}) });
      });
      // The deadline may pass while the send is still in progress; the caller only sees `reply` once
      // the send returns, so mark it handled now or Node treats the early rejection as unhandled.
      reply.catch(() => {});
      try {
        await opts.producer.send(opts.requestSpec, [{ key, value: full, trace: trace ?? null }]);
      } catch (error) {
        const entry = waiting.get(correlationId);
        if (entry) clearTimeout(entry.timer);
        waiting.delete(correlationId);
        throw error;
      }
      return reply;
    },
    async stop() {
      closed = true;
      for (const [id, entry] of waiting) {
        clearTimeout(entry.timer);
        entry.reject(new BusError('SHUTTING_DOWN', `request ${id} abandoned: the gateway is stopping`));
      }
      waiting.clear();
      await consumer.stop();
    },
    joined: () => consumer.joined(),
    stalled: () => consumer.stalled(),
    pending: () => waiting.size,
  };
}
