import { gzipSync } from 'node:zlib';
import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import type { Codecs } from './codecs';
import { BusError } from './errors';
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
  /** Since when every send has failed (null after any success): what readiness judges the producer by. */
  failing(): ProducerFailure | null;
}

/** A run of failed sends with no success between them. */
export interface ProducerFailure {
  readonly sinceMs: number;
  readonly lastMs: number;
  readonly error: string;
}

/**
 * Largest payload sent in one request. kafkajs writes each partition's messages of a request as one
 * record batch, and the broker refuses a batch above its `message.max.bytes` (1 MiB by default); a
 * consumed batch can easily fan out to more than that, so sends are split, in order, below it.
 */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * The broker's limit on one record batch (`message.max.bytes`, Kafka's default 1,048,588 bytes),
 * checked by the broker after compression. A record whose batch cannot fit is refused for good, so
 * it is refused here before anything of its request is sent, as a permanent error.
 * @default 1_048_588
 */
export const BROKER_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * Requests holding a record above this size go out gzip-compressed (kafkajs compresses with
 * node:zlib, nothing to install). State records are JSON that compresses about 25 to 1 (a
 * 1,000-step execution: 1.06 MB to 45 kB), replies and audits are small and go uncompressed.
 */
export const COMPRESS_ABOVE_BYTES = 16 * 1024;

/**
 * What one encoded record costs against the broker's limit: its own size when small, its gzip size
 * when it will travel compressed (an upper bound on its share of the compressed batch, give or take
 * the batch's few dozen bytes of framing). The protocol services measure what they are about to
 * commit with this, before they commit it.
 */
export function sendableBytes(encoded: Buffer): number {
  return encoded.length <= COMPRESS_ABOVE_BYTES ? encoded.length : Math.min(encoded.length, gzipSync(encoded).length);
}

/** Throws RECORD_TOO_LARGE for the first message that cannot fit the broker's limit even compressed. */
export function checkSendable(topic: string, messages: readonly Message[], maxBytes = BROKER_MAX_MESSAGE_BYTES): void {
  for (const message of messages) {
    const value = message.value as Buffer | null;
    if (!value || sizeOf(message) <= maxBytes) continue;
    const bytes = sendableBytes(value) + sizeOf({ ...message, value: null });
    if (bytes > maxBytes) {
      throw new BusError('RECORD_TOO_LARGE', `a record for ${topic} (key '${String(message.key)}') is ${bytes} bytes compressed, over the broker's limit of ${maxBytes}; it can never be sent`);
    }
  }
}

/** The broker's own refusal of a batch by size, whatever wraps it (kafkajs nests retries' causes). */
export function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    const type = (e as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
    const nested = (e as { errors?: unknown[] }).errors?.find(isTooLarge);
    if (nested) return true;
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return false;
}

function sizeOf(message: Message): number {
  let bytes = (message.value as Buffer | null)?.length ?? 0;
  bytes += typeof message.key === 'string' ? Buffer.byteLength(message.key) : (message.key?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + String(value ?? '').length;
  return bytes + 64;
}

/** Splits topic messages into requests that each stay under the byte budget, keeping their order. */
export function splitRequests(topicMessages: TopicMessages[], maxBytes = MAX_REQUEST_BYTES): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let slice: Message[] = [];
    for (const message of messages) {
      const size = sizeOf(message);
      if (bytes + size > maxBytes && bytes > 0) {
        if (slice.length) current.push({ topic, messages: slice });
        requests.push(current);
        current = [];
        slice = [];
        bytes = 0;
      }
      slice.push(message);
      bytes += size;
    }
    if (slice.length) current.push({ topic, messages: slice });
  }
  if (current.length) requests.push(current);
  return requests;
}

function toMessage<T>(codecs: Codecs, spec: TopicSpec, record: OutboundRecord<T>): Message {
  const headers: IHeaders = { ...record.headers, [TRACEPARENT_HEADER]: formatTraceparent(childTrace(record.trace ?? null)) };
  return { key: record.key, value: codecs.encode(spec, record.value as never), headers };
}

/** A send's batches as kafkajs topic messages, encoded and traced; empty batches left out. */
export function encodeBatches(codecs: Codecs, batches: readonly TopicBatch[]): TopicMessages[] {
  return batches
    .filter((b) => b.records.length > 0)
    .map((b) => ({ topic: codecs.topicName(b.spec), messages: b.records.map((r) => toMessage(codecs, b.spec, r)) }));
}

/** Requests holding a large record go out gzip-compressed (see COMPRESS_ABOVE_BYTES). */
export function compressionFor(request: readonly TopicMessages[]): CompressionTypes {
  return request.some((t) => t.messages.some((m) => sizeOf(m) > COMPRESS_ABOVE_BYTES)) ? CompressionTypes.GZIP : CompressionTypes.None;
}

/**
 * Broker answers after which it takes no more sends from this producer id: its sequence numbers and
 * the broker's no longer agree. kafkajs keeps the id and fails every later send the same way (its
 * issue 598); the chaos benchmark saw it after a broker restart, the gateway's producer failing every
 * send for minutes while /readyz said 200. Only a new producer id (sequences from 0) gets out of it.
 */
const LOST_PRODUCER_STATE = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** Whether a kafkajs send failed because the broker no longer takes this producer id's sequence numbers. */
export function isLostProducerState(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 8; depth++) {
    const e = current as { type?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof e.type === 'string' && LOST_PRODUCER_STATE.has(e.type)) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}

/** Marks every error of the chain transient, so no part of it votes the send permanent (transience.ts). */
export function markTransient(error: unknown): void {
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 8; depth++) {
    Object.assign(current, { transient: true });
    const e = current as { originalError?: unknown; cause?: unknown };
    current = e.originalError ?? e.cause;
  }
}

/**
 * An idempotent producer: the broker drops a retried send it already wrote, so a retry after a lost
 * acknowledgement does not duplicate. kafkajs requires one request in flight for that guarantee.
 * When the broker stops taking its sequence numbers (isLostProducerState), the send fails as
 * transient and a new kafkajs producer, with a new producer id, takes over for the next sends.
 */
export function createProducer(kafka: Kafka, codecs: Codecs, metrics?: BusMetrics): BusProducer {
  // Unbounded retries (with the client's capped backoff) keep the broker's sequence numbers valid;
  // a send that cannot complete holds its batch uncommitted, which is the at-least-once answer.
  const build = (): Producer => kafka.producer({
    idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: Number.MAX_SAFE_INTEGER },
  });
  let producer = build();
  // The current producer's connect (which obtains its producer id), shared by concurrent sends.
  let connection: Promise<void> | null = null;
  let closed = false;
  let failure: ProducerFailure | null = null;
  const connected = (): Promise<void> => {
    const current = producer;
    connection ??= current.connect().catch((error: unknown) => {
      if (producer === current) connection = null;
      throw error;
    });
    return connection;
  };

  async function sendRequest(request: TopicMessages[]): Promise<void> {
    const current = producer;
    // A replacement connects on its first send; after disconnect() a send fails as it always did.
    if (!closed) await connected();
    try {
      await current.sendBatch({ topicMessages: request, acks: -1, compression: compressionFor(request) });
      failure = null;
    } catch (error) {
      const now = Date.now();
      failure = { sinceMs: failure?.sinceMs ?? now, lastMs: now, error: error instanceof Error ? error.message : String(error) };
      if (isTooLarge(error)) throw new BusError('RECORD_TOO_LARGE', `the broker refused a batch for ${request.map((t) => t.topic).join(', ')} as too large`, { cause: error });
      if (isLostProducerState(error)) {
        // Concurrent sends that failed alike replace it once. kafkajs calls the error not retriable,
        // which holds for the old producer id only: marked transient, a consumer retries its batch
        // (instead of dead-lettering it) and the gateway answers 503, and the retry goes out anew.
        if (producer === current) {
          producer = build();
          connection = null;
          void current.disconnect().catch(() => undefined);
        }
        markTransient(error);
      }
      throw error;
    }
  }

  async function sendMany(batches: TopicBatch[]): Promise<void> {
    const topicMessages = encodeBatches(codecs, batches);
    if (topicMessages.length === 0) return;
    for (const { topic, messages } of topicMessages) checkSendable(topic, messages);
    for (const request of splitRequests(topicMessages)) await sendRequest(request);
    for (const b of batches) if (b.records.length) metrics?.produced.inc({ topic: b.spec.name }, b.records.length);
  }

  return {
    send: (spec, records) => sendMany([{ spec, records } as TopicBatch]),
    sendMany,
    async sendRaw(topic, messages) {
      checkSendable(topic, messages);
      for (const request of splitRequests([{ topic, messages }])) await sendRequest(request);
      metrics?.produced.inc({ topic }, messages.length);
    },
    connect() {
      closed = false;
      return connected();
    },
    disconnect() {
      closed = true;
      connection = null;
      return producer.disconnect();
    },
    failing: () => failure,
  };
}
