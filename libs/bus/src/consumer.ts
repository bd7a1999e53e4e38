import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import type { Codecs } from './codecs';
import { sendDeadLetters, type DeadLetterInput } from './dead-letter';
import { isBusError } from './errors';
import type { Logger } from './logger';
import type { BusMetrics } from './metrics';
import type { BusProducer } from './producer';
import { TRACEPARENT_HEADER, parseTraceparent, type TraceContext } from './trace-context';

/** A decoded record as a handler sees it. */
export interface InboundRecord<T> {
  key: string;
  value: T;
  headers: Record<string, string>;
  partition: number;
  offset: string;
  /** The broker's timestamp of the record (producer create time), epoch ms. */
  timestampMs: number;
  trace: TraceContext | null;
}

/** A record the handler refuses: it goes to the dead-letter topic and the stream moves on. */
export interface Rejection {
  offset: string;
  code: string;
  reason: string;
}

/**
 * Called once per fetched batch of one partition, with every record that decoded. Returning normally
 * commits the whole batch (rejections are dead-lettered first); throwing retries the batch with
 * backoff and commits nothing, so a record is never lost to a passing Redis or broker failure.
 */
export type BatchHandler<T> = (records: InboundRecord<T>[], ctx: { topic: string; partition: number }) => Promise<Rejection[] | void>;

export interface Subscription {
  spec: TopicSpec;
  handler: BatchHandler<never>;
  /**
   * Where a group with no committed offset starts. From the earliest retained record by default, so
   * that nothing produced before a service's first start is lost; a group that only cares about
   * what comes next (a gateway replica's own reply group) starts at the end. @default true
   */
  fromBeginning?: boolean;
}

/** Pairs a topic with its handler, keeping the handler's record type tied to the topic's schema. */
export function subscription<T extends TopicSpec>(spec: T, handler: BatchHandler<ValueOf<T>>, options: { fromBeginning?: boolean } = {}): Subscription {
  return { spec, handler: handler as BatchHandler<never>, ...options };
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  codecs: Codecs;
  /** Sends dead letters; the service's own producer. */
  producer: BusProducer;
  groupId: string;
  subscriptions: Subscription[];
  logger: Logger;
  metrics?: BusMetrics;
  /** Partitions handled at once; per-key order holds since a key lives on one partition. @default 2 */
  partitionsConsumedConcurrently?: number;
  /** Longest wait between retries of a failing batch. @default 5000 */
  maxRetryBackoffMs?: number;
  /** How long the group waits for a silent member before moving its partitions. @default 30000 */
  sessionTimeoutMs?: number;
  /** How long `start` waits for the first group join. @default 60000 */
  joinTimeoutMs?: number;
  /**
   * Whether handled offsets are committed. A group whose records are worthless after a restart (a
   * gateway replica's replies: nobody waits for them any more) skips the commit round trip that
   * would otherwise sit between every batch and the next fetch. @default true
   */
  commitOffsets?: boolean;
  now?: () => number;
}

export interface BatchConsumer {
  /** Connects, subscribes and resolves once the consumer has joined its group. */
  start(): Promise<void>;
  /** Stops fetching, lets the in-flight batch finish and commit, leaves the group. Safe to call twice. */
  stop(): Promise<void>;
  /** True while the consumer is a member of its group (readiness). */
  joined(): boolean;
}

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const one = Array.isArray(value) ? value[0] : value;
    if (one !== undefined) out[name] = one.toString();
  }
  return out;
}

export function createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
  const { kafka, codecs, producer, groupId, subscriptions, metrics } = options;
  const log = options.logger.child({ groupId });
  const now = options.now ?? Date.now;
  const maxBackoffMs = options.maxRetryBackoffMs ?? 5_000;
  const byTopic = new Map(subscriptions.map((s) => [codecs.topicName(s.spec), s]));
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  // Heartbeats at a tenth of the session timeout: several may be lost before the member is dropped.
  const consumer: Consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout, heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)) });
  let isJoined = false;
  let stopping: Promise<void> | null = null;

  consumer.on(consumer.events.GROUP_JOIN, () => {
    isJoined = true;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    isJoined = false;
    log.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
  });

  async function handleOnce(sub: Subscription, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const dead: DeadLetterInput[] = [];
    const records: InboundRecord<never>[] = [];
    const byOffset = new Map<string, KafkaMessage>();
    const letter = (message: KafkaMessage, code: string, reason: string): DeadLetterInput => ({
      sourceTopic: batch.topic, partition: batch.partition, message, code, reason, consumerGroup: groupId, nowMs: now(),
    });

    for (const message of batch.messages) {
      if (!message.key || message.key.length === 0) {
        dead.push(letter(message, 'MISSING_KEY', 'record has no key'));
        continue;
      }
      let value: never;
      try {
        value = (await codecs.decode(sub.spec, message.value)) as never;
      } catch (error) {
        if (isBusError(error) && !error.retryable) {
          dead.push(letter(message, error.code, error.message));
          continue;
        }
        throw error;
      }
      const headers = headersOf(message);
      byOffset.set(message.offset, message);
      records.push({
        key: message.key.toString(), value, headers, partition: batch.partition, offset: message.offset,
        timestampMs: Number(message.timestamp), trace: parseTraceparent(headers[TRACEPARENT_HEADER]),
      });
    }

    const rejections = records.length > 0 ? ((await sub.handler(records, { topic: batch.topic, partition: batch.partition })) ?? []) : [];
    for (const r of rejections) {
      const message = byOffset.get(r.offset);
      if (message) dead.push(letter(message, r.code, r.reason));
    }
    if (dead.length > 0) {
      await sendDeadLetters(codecs, producer, dead);
      for (const d of dead) metrics?.deadLettered.inc({ topic: sub.spec.name, code: d.code });
      log.warn({ topic: batch.topic, partition: batch.partition, count: dead.length, first: { offset: dead[0]!.message.offset, code: dead[0]!.code, reason: dead[0]!.reason } }, 'records dead-lettered');
    }
    metrics?.consumed.inc({ topic: sub.spec.name }, records.length - rejections.length);
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const sub = byTopic.get(batch.topic);
    if (!sub || batch.messages.length === 0) return;
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await handleOnce(sub, payload);
        break;
      } catch (error) {
        // Nothing was committed; if we are stopping (or lost the partition), the next owner redoes it.
        if (!payload.isRunning() || payload.isStale()) return;
        const backoffMs = Math.min(maxBackoffMs, 100 * 2 ** attempt);
        log.error({ err: error, topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset(), attempt, backoffMs }, 'batch failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        await payload.heartbeat();
      }
    }
    const last = batch.lastOffset();
    payload.resolveOffset(last);
    // Commit explicitly, inside the batch: stop() waits for this to finish, so a SIGTERM never loses
    // the offsets of work that was done.
    if (options.commitOffsets !== false) {
      await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }] }] });
    }
    metrics?.batchSeconds.observe({ topic: sub.spec.name }, (performance.now() - started) / 1000);
    metrics?.lag.set({ topic: sub.spec.name, partition: String(batch.partition) }, Number(batch.offsetLag()));
  }

  return {
    async start() {
      await consumer.connect();
      for (const s of subscriptions) await consumer.subscribe({ topic: codecs.topicName(s.spec), fromBeginning: s.fromBeginning ?? true });
      const joinedNow = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`group ${groupId} not joined within ${options.joinTimeoutMs ?? 60_000} ms`)), options.joinTimeoutMs ?? 60_000);
        const off = consumer.on(consumer.events.GROUP_JOIN, () => {
          clearTimeout(timer);
          off();
          resolve();
        });
      });
      await consumer.run({ eachBatchAutoResolve: false, autoCommit: options.commitOffsets !== false, partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 2, eachBatch });
      await joinedNow;
    },
    stop() {
      stopping ??= (async () => {
        isJoined = false;
        await consumer.disconnect();
      })();
      return stopping;
    },
    joined: () => isJoined,
  };
}
