import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import type { Codecs } from './codecs';
import { sendDeadLetters, type DeadLetterInput } from './dead-letter';
import { isBusError } from './errors';
import { isTransient } from './transience';
import type { Logger } from './logger';
import type { BusMetrics } from './metrics';
import { createStallTracker, type PartitionRef, type PartitionStall } from './partition-stalls';
import { createCrashRestarter } from './crash-restart';
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
 * Called with the records of one partition that decoded, in offset order. Returning normally commits
 * them (rejections are dead-lettered first). Throwing a transient error (see transience.ts: a
 * TransientError, an error marked `transient: true`, a broker, Redis or registry away) retries the
 * records with backoff and commits nothing, so a record is never lost to a passing failure. Any other
 * error is blamed on a record: the records are handed over again in halves until the one that fails
 * alone is found; it is dead-lettered (HANDLER_FAILED, with the error) and the others are handled.
 */
export type BatchHandler<T> = (records: InboundRecord<T>[], ctx: HandlerContext) => Promise<Rejection[] | void>;

/** What a handler is told about the records it is handed. */
export interface HandlerContext {
  topic: string;
  partition: number;
  /** The consumer group reading them. */
  groupId?: string;
  /**
   * Dead-letters rejections of these records now, rather than after the handler returns. For a
   * handler that commits the group's offsets itself (in a transaction with what it produces): once
   * they are committed, a crash would lose rejections still to be sent. Rejections sent here are
   * not returned as well.
   */
  deadLetter?(rejections: Rejection[]): Promise<void>;
}

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

/**
 * How long the broker may hold a fetch that finds nothing (kafkajs's `maxWaitTimeInMs`; 5000 there,
 * the Java client's `fetch.max.wait.ms` default 500 here). `stop` cannot cut a fetch short: kafkajs
 * waits for the one in flight to come back before it leaves the group, so this is how long an idle
 * consumer may take to stop (with kafkajs's 5 s, a full 5 s right after the join, whose first fetch
 * has just gone out). It also bounds how late a paused partition's retry is noticed: with every
 * assigned partition paused kafkajs sleeps this long between fetch rounds. Records are answered as
 * soon as they arrive whatever the value, so a low one costs only an empty fetch per interval.
 */
export const FETCH_MAX_WAIT_MS = 500;

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
  /** How long a partition may retry the same records before it counts as stalled (readiness, metrics). @default 30000 */
  stallAfterMs?: number;
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
  /**
   * Stops fetching, lets the in-flight batch finish and commit, leaves the group. Safe to call twice.
   * Waits for the fetch in flight too, which an idle broker answers after {@link FETCH_MAX_WAIT_MS}.
   */
  stop(): Promise<void>;
  /** True while the consumer is a member of its group (readiness). */
  joined(): boolean;
  /** Partitions retrying the same records for longer than `stallAfterMs` (readiness). */
  stalled(): PartitionStall[];
}

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const one = Array.isArray(value) ? value[0] : value;
    if (one !== undefined) out[name] = one.toString();
  }
  return out;
}

/** `Name: message`, with its causes after it: a wrapper's message alone rarely says what went wrong. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; e = e instanceof Error ? e.cause : undefined, depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  return parts.join(' ← ');
}

/** A bus error's own code, found through wrappers (RECORD_TOO_LARGE says more than HANDLER_FAILED). */
function deadLetterCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (isBusError(e)) return e.code;
  }
  return 'HANDLER_FAILED';
}

/** A batch that stopped on a transient failure; everything before `offset` is handled and resolved. */
interface Interrupted {
  offset: string;
  error: unknown;
}

export function createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
  const { kafka, codecs, producer, groupId, subscriptions, metrics } = options;
  const log = options.logger.child({ groupId });
  const now = options.now ?? Date.now;
  const maxBackoffMs = options.maxRetryBackoffMs ?? 5_000;
  const stallAfterMs = options.stallAfterMs ?? 30_000;
  const commitOffsets = options.commitOffsets !== false;
  for (const s of subscriptions) {
    // A record that can neither be handled nor set aside would hold its partition for good.
    if (!s.spec.deadLetter) throw new Error(`topic ${s.spec.name} has no dead-letter topic in the catalog; a consumed topic needs one`);
  }
  const byTopic = new Map(subscriptions.map((s) => [codecs.topicName(s.spec), s]));
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  // Heartbeats at a tenth of the session timeout: several may be lost before the member is dropped.
  const consumer: Consumer = kafka.consumer({
    groupId, allowAutoTopicCreation: false, sessionTimeout, heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
  });
  let isJoined = false;
  let stopping: Promise<void> | null = null;
  const stalls = createStallTracker({ stallAfterMs, now, gauge: metrics?.stalled });
  const resumeTimers = new Set<NodeJS.Timeout>();
  let gaugeTimer: NodeJS.Timeout | undefined;

  const runConsumer = () => consumer.run({ eachBatchAutoResolve: false, autoCommit: commitOffsets, partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 2, eachBatch });
  // kafkajs restarts a crashed consumer only after errors it deems retriable; the others (no group
  // coordinator while a broker starts, a connection lost mid-SASL) would leave it out of its group for good.
  const restarter = createCrashRestarter({
    restart: async () => {
      await consumer.connect();
      await runConsumer();
    },
    maxDelayMs: maxBackoffMs,
    onRestart: (attempt, delayMs) => log.warn({ attempt, delayMs }, 'kafkajs gave up on the consumer; restarting it'),
    onRestartFailed: (err, attempt) => log.error({ err, attempt }, 'the consumer could not be restarted; trying again'),
  });

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    isJoined = true;
    restarter.joined();
    stalls.keepOnly(event.payload.memberAssignment);
  });
  consumer.on(consumer.events.CRASH, (event) => {
    isJoined = false;
    log.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    restarter.crashed(event.payload.restart);
  });

  function letterFor(batch: EachBatchPayload['batch'], message: KafkaMessage, code: string, reason: string): DeadLetterInput {
    return { sourceTopic: batch.topic, partition: batch.partition, message, code, reason, consumerGroup: groupId, nowMs: now() };
  }

  /**
   * The dead letters of a piece's rejections: one per rejected record (a record rejected twice is
   * set aside once). A rejection naming an offset the handler was not handed is a handler's bug, but
   * dropping it would lose a refusal without a trace, and the record it meant was committed with the
   * piece: it is dead-lettered as given, without payload, at the piece's first offset (so it settles
   * with the piece), its reason naming the offset it claimed, and logged.
   */
  function rejectionsOf(batch: EachBatchPayload['batch'], piece: InboundRecord<never>[], byOffset: Map<string, KafkaMessage>, rejections: Rejection[]): { letters: DeadLetterInput[]; records: number } {
    const inPiece = new Set(piece.map((r) => r.offset));
    const seen = new Set<string>();
    const letters: DeadLetterInput[] = [];
    for (const r of rejections) {
      if (inPiece.has(r.offset)) {
        if (seen.has(r.offset)) continue;
        seen.add(r.offset);
        letters.push(letterFor(batch, byOffset.get(r.offset)!, r.code, r.reason));
        continue;
      }
      const claimed = String(r.offset).slice(0, 40);
      const range = `${piece[0]!.offset}..${piece[piece.length - 1]!.offset}`;
      log.error({ topic: batch.topic, partition: batch.partition, claimed, range, code: r.code, reason: r.reason.slice(0, 1_000) }, 'the handler rejected a record it was not handed; dead-lettering the rejection without its record');
      const stand: KafkaMessage = { key: null, value: null, headers: {}, offset: piece[0]!.offset, timestamp: String(now()), attributes: 0 };
      letters.push(letterFor(batch, stand, r.code, `the handler rejected offset '${claimed}', which is not among the records it was handed (offsets ${range}): ${r.reason}`));
    }
    return { letters, records: seen.size };
  }

  async function decodeAll(sub: Subscription, batch: EachBatchPayload['batch']) {
    const dead: DeadLetterInput[] = [];
    const records: InboundRecord<never>[] = [];
    const byOffset = new Map<string, KafkaMessage>();
    for (const message of batch.messages) {
      if (!message.key || message.key.length === 0) {
        dead.push(letterFor(batch, message, 'MISSING_KEY', 'record has no key'));
        continue;
      }
      let value: never;
      try {
        value = (await codecs.decode(sub.spec, message.value)) as never;
      } catch (error) {
        if (isBusError(error) && !error.retryable) {
          dead.push(letterFor(batch, message, error.code, error.message));
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
    return { dead, records, byOffset };
  }

  /**
   * A record skipped without a dead letter: its `.dlq` topic refused even the minimal one for good.
   * This line is then its only record, so it carries everything the letter would have: source,
   * offset, code, reason, sizes and the start of the key and payload. Counted, and reported by
   * readiness until a later letter of the partition is written.
   */
  function recordLost(ref: PartitionRef, letter: DeadLetterInput, error: unknown, summary: string): void {
    metrics?.deadLettersLost.inc({ topic: ref.catalogName, code: letter.code });
    stalls.lostDeadLetter(ref, letter.message.offset, `the dead letter of offset ${letter.message.offset} (${letter.code}) was refused by ${ref.topic}.dlq for good and the record skipped: ${describeError(error)}`);
    log.error({
      err: error, topic: ref.topic, partition: ref.partition, offset: letter.message.offset, code: letter.code, reason: letter.reason.slice(0, 4_096), sizes: summary,
      keyPrefix: letter.message.key?.subarray(0, 256).toString('base64') ?? null, valuePrefix: letter.message.value?.subarray(0, 1_024).toString('base64') ?? null,
    }, 'dead letter undeliverable: the record is skipped, and this line is its only record');
  }

  /** Sends dead letters, counts them, and records the ones their `.dlq` refused for good. */
  async function sendLetters(sub: Subscription, batch: EachBatchPayload['batch'], due: DeadLetterInput[]): Promise<void> {
    if (due.length === 0) return;
    const report = await sendDeadLetters(codecs, producer, due);
    const ref: PartitionRef = { topic: batch.topic, catalogName: sub.spec.name, partition: batch.partition };
    const lost = new Set(report.lost.map((l) => l.letter));
    for (const d of due) if (!lost.has(d)) metrics?.deadLettered.inc({ topic: sub.spec.name, code: d.code });
    if (lost.size < due.length) {
      stalls.deadLetterWritten(ref);
      log.warn({
        topic: batch.topic, partition: batch.partition, count: due.length - lost.size, summarised: report.summarised.map((d) => d.message.offset),
        first: { offset: due[0]!.message.offset, code: due[0]!.code, reason: due[0]!.reason.slice(0, 1_000) },
      }, 'records dead-lettered');
    }
    for (const { letter, error, summary } of report.lost) recordLost(ref, letter, error, summary);
  }

  /** Dead-letters what was set aside below `end` (all when null) and resolves and commits the offsets up to it. */
  async function settle(sub: Subscription, payload: EachBatchPayload, dead: DeadLetterInput[], end: bigint | null): Promise<void> {
    const { batch } = payload;
    const due = end === null ? dead : dead.filter((d) => BigInt(d.message.offset) < end);
    await sendLetters(sub, batch, due);
    const last = end === null ? BigInt(batch.lastOffset()) : end - 1n;
    if (last < BigInt(batch.messages[0]!.offset)) return;
    payload.resolveOffset(last.toString());
    // Commit explicitly, inside the batch: stop() waits for this to finish, so a SIGTERM never loses
    // the offsets of work that was done.
    if (commitOffsets) {
      await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (last + 1n).toString() }] }] });
    }
  }

  /**
   * Handles one fetched batch. Returns null when every record is handled or dead-lettered and the
   * offsets resolved, or where it stopped on a transient failure (what came before is settled).
   */
  async function handleBatch(sub: Subscription, payload: EachBatchPayload): Promise<Interrupted | null> {
    const { batch } = payload;
    const ctx = { topic: batch.topic, partition: batch.partition };
    let decoded;
    try {
      decoded = await decodeAll(sub, batch);
    } catch (error) {
      return { offset: batch.messages[0]!.offset, error };
    }
    const { dead, records, byOffset } = decoded;
    let handled = 0;
    // Handed over whole first; a permanent failure splits a piece in two, front half first, so order
    // holds and a healthy record is handled once however far the poison is narrowed down.
    const pieces = records.length > 0 ? [records] : [];
    while (pieces.length > 0) {
      const piece = pieces[0]!;
      try {
        const pieceCtx: HandlerContext = {
          ...ctx, groupId,
          deadLetter: async (early) => sendLetters(sub, batch, rejectionsOf(batch, piece, byOffset, early).letters),
        };
        const rejections = (await sub.handler(piece, pieceCtx)) ?? [];
        const rejected = rejectionsOf(batch, piece, byOffset, rejections);
        dead.push(...rejected.letters);
        handled += piece.length - rejected.records;
        pieces.shift();
      } catch (error) {
        if (isTransient(error) || !payload.isRunning() || payload.isStale()) {
          const offset = piece[0]!.offset;
          metrics?.consumed.inc({ topic: sub.spec.name }, handled);
          try {
            await settle(sub, payload, dead, BigInt(offset));
          } catch (settleError) {
            log.warn({ err: settleError, topic: batch.topic, partition: batch.partition }, 'could not settle the records handled before a failure; they will be handled again');
            return { offset: batch.messages[0]!.offset, error };
          }
          return { offset, error };
        }
        if (piece.length === 1) {
          log.error({ err: error, topic: batch.topic, partition: batch.partition, offset: piece[0]!.offset }, 'handler failed on this record alone; dead-lettering it');
          dead.push(letterFor(batch, byOffset.get(piece[0]!.offset)!, deadLetterCode(error), describeError(error)));
          pieces.shift();
        } else {
          const middle = Math.ceil(piece.length / 2);
          pieces.splice(0, 1, piece.slice(0, middle), piece.slice(middle));
        }
      }
    }
    metrics?.consumed.inc({ topic: sub.spec.name }, handled);
    try {
      await settle(sub, payload, dead, null);
    } catch (error) {
      // Dead letters not sent or offsets not committed: the batch is handled again, nothing is lost.
      return { offset: batch.messages[0]!.offset, error };
    }
    return null;
  }

  /**
   * Leaves a failing partition and comes back after a backoff: the fetch that would bring the next
   * batch is shared by every partition on the broker, so a batch that waited here would hold them
   * all. Paused, its records are fetched again from the first unresolved offset once resumed.
   */
  function retryLater(ref: PartitionRef, payload: EachBatchPayload, failure: Interrupted): void {
    const attempt = stalls.failed(ref, failure.offset, describeError(failure.error));
    // The records behind the stuck one count as lag: the gauge must not read 0 while nothing moves.
    metrics?.lag.set({ topic: ref.catalogName, partition: String(ref.partition) }, Number(BigInt(payload.batch.highWatermark) - BigInt(failure.offset)));
    const backoffMs = Math.min(maxBackoffMs, 100 * 2 ** (attempt - 1));
    log.error({ err: failure.error, topic: ref.topic, partition: ref.partition, offset: failure.offset, attempt, backoffMs }, 'records failed; retrying');
    const resume = payload.pause();
    const timer = setTimeout(() => {
      resumeTimers.delete(timer);
      resume();
    }, backoffMs);
    resumeTimers.add(timer);
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const sub = byTopic.get(batch.topic);
    if (!sub || batch.messages.length === 0) return;
    const started = performance.now();
    const ref: PartitionRef = { topic: batch.topic, catalogName: sub.spec.name, partition: batch.partition };
    stalls.started(ref, batch.messages[0]!.offset);
    let failure: Interrupted | null;
    try {
      failure = await handleBatch(sub, payload);
    } finally {
      stalls.finished(ref);
    }
    if (failure) {
      // Stopping, or the partition moved: nothing past the settled offsets was committed; the next owner redoes it.
      if (!payload.isRunning() || payload.isStale()) return;
      retryLater(ref, payload, failure);
      return;
    }
    stalls.recovered(ref);
    metrics?.batchSeconds.observe({ topic: sub.spec.name }, (performance.now() - started) / 1000);
    metrics?.lag.set({ topic: sub.spec.name, partition: String(batch.partition) }, Number(batch.offsetLag()));
  }

  return {
    async start() {
      await consumer.connect();
      for (const s of subscriptions) await consumer.subscribe({ topic: codecs.topicName(s.spec), fromBeginning: s.fromBeginning ?? true });
      const joinTimeoutMs = options.joinTimeoutMs ?? 60_000;
      const joinedNow = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`group ${groupId} not joined within ${joinTimeoutMs} ms`)), joinTimeoutMs);
        const off = consumer.on(consumer.events.GROUP_JOIN, () => {
          clearTimeout(timer);
          off();
          resolve();
        });
      });
      await runConsumer();
      gaugeTimer = setInterval(() => stalls.refresh(), Math.max(100, Math.floor(stallAfterMs / 4)));
      gaugeTimer.unref();
      await joinedNow;
    },
    stop() {
      stopping ??= (async () => {
        isJoined = false;
        restarter.stop();
        clearInterval(gaugeTimer);
        for (const timer of resumeTimers) clearTimeout(timer);
        resumeTimers.clear();
        await consumer.disconnect();
      })();
      return stopping;
    },
    joined: () => isJoined,
    stalled: () => stalls.stalled(),
  };
}
