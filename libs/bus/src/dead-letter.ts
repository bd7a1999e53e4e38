import type { KafkaMessage, Message } from 'kafkajs';
import type { Codecs } from './codecs';
import { checkSendable, type BusProducer } from './producer';
import { isTransient } from './transience';

export interface DeadLetterInput {
  sourceTopic: string;
  partition: number;
  message: KafkaMessage;
  code: string;
  reason: string;
  consumerGroup: string;
  nowMs: number;
}

/** How much of the original a summarised dead letter keeps. */
export interface SummaryLimits {
  readonly valueBytes: number;
  readonly keyBytes: number;
  readonly reasonChars: number;
}

/**
 * How much of the original a summarised dead letter keeps: enough to recognise the record and start
 * a diagnosis, small enough to fit any sane `max.message.bytes` of a `.dlq` topic.
 * @default 16384 bytes of value, 1024 of key, 4096 characters of reason
 */
export const SUMMARY_LIMITS: SummaryLimits = Object.freeze({ valueBytes: 16 * 1024, keyBytes: 1024, reasonChars: 4096 });

/** The last resort before giving up: no payload at all, the reason cut short. */
const MINIMAL_LIMITS: SummaryLimits = Object.freeze({ valueBytes: 0, keyBytes: 256, reasonChars: 512 });

/** A dead letter that could not be written even as its minimal summary. */
export interface LostDeadLetter {
  readonly letter: DeadLetterInput;
  /** What the `.dlq` topic answered to the last attempt. */
  readonly error: unknown;
  /** The sizes the summary would have carried, for the log line that is now its only record. */
  readonly summary: string;
}

/** What became of a call's dead letters. */
export interface DeadLetterReport {
  /** Written whole. */
  readonly delivered: number;
  /** Written as a summary (a prefix of the payload and its sizes): whole, they could not be. */
  readonly summarised: readonly DeadLetterInput[];
  /** Not written at all: the `.dlq` topic refused even the minimal summary for good. */
  readonly lost: readonly LostDeadLetter[];
}

function headerBytes(value: Buffer | string | (Buffer | string)[] | undefined): Buffer | null {
  if (value === undefined) return null;
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(one);
}

function headersOf(message: KafkaMessage): { name: string; value: Buffer | null }[] {
  return Object.entries(message.headers ?? {}).map(([name, value]) => ({ name, value: headerBytes(value) }));
}

/** One line with the sizes of what a summary leaves out. */
function sizesOf(l: DeadLetterInput, limits: SummaryLimits): string {
  const value = l.message.value?.length ?? 0;
  const key = l.message.key?.length ?? 0;
  const headers = headersOf(l.message);
  const headerTotal = headers.reduce((n, h) => n + h.name.length + (h.value?.length ?? 0), 0);
  return `value ${value} bytes (first ${Math.min(value, limits.valueBytes)} kept), key ${key} bytes (first ${Math.min(key, limits.keyBytes)} kept), `
    + `${headers.length} headers of ${headerTotal} bytes dropped, reason ${l.reason.length} characters (first ${Math.min(l.reason.length, limits.reasonChars)} kept)`;
}

/**
 * The letter as written: whole (key, value and headers byte for byte), or summarised under `limits`
 * with its sizes in the reason and in the `maestro-dlq-summary` header, so a reader can tell a
 * prefix from the original. Keyed as the original (or its prefix) so one entity's letters stay in order.
 */
function messageOf(codecs: Codecs, l: DeadLetterInput, limits: SummaryLimits | null): Message {
  const key = limits && l.message.key ? l.message.key.subarray(0, limits.keyBytes) : l.message.key;
  const summary = limits ? sizesOf(l, limits) : null;
  const reason = limits && summary ? `${l.reason.slice(0, limits.reasonChars)} [dead letter summarised to fit the .dlq topic: ${summary}]` : l.reason;
  return {
    key,
    value: codecs.encodeDeadLetter(l.sourceTopic, {
      sourceTopic: l.sourceTopic,
      sourcePartition: l.partition,
      sourceOffset: l.message.offset,
      key: key ?? null,
      value: limits && l.message.value ? l.message.value.subarray(0, limits.valueBytes) : l.message.value ?? null,
      headers: limits ? [] : headersOf(l.message),
      errorCode: l.code,
      reason,
      consumerGroup: l.consumerGroup,
      failedAtMs: l.nowMs,
    }),
    headers: { 'maestro-dlq-reason': l.code, ...(summary ? { 'maestro-dlq-summary': summary } : {}) },
  };
}

/** True when the producer refuses the message before sending: it is over the broker's limit even compressed. */
function tooLargeToSend(topic: string, message: Message): boolean {
  try {
    checkSendable(topic, [message]);
    return false;
  } catch {
    return true;
  }
}

/**
 * Sends records a consumer refused to `<topic>.dlq`, keeping the original key, value and headers byte
 * for byte, with the reason.
 *
 * A dead letter must never hold its partition for good (the record it sets aside already could not
 * be handled), so it is bounded: a letter too large to send whole (a record near the broker's limit
 * plus the letter's own fields, or a `.dlq` topic with a smaller `max.message.bytes`) is written as a
 * summary — reason, source topic, partition and offset, a prefix of the payload, the sizes — and,
 * if the topic refuses that too, as a minimal one without payload. A transient failure (broker away)
 * throws, so the consumer retries with backoff and reports the stall; only when the topic refuses
 * even the minimal letter for good is it reported lost, for the caller to log and count: it is then
 * the letter's only record.
 */
export async function sendDeadLetters(codecs: Codecs, producer: BusProducer, letters: DeadLetterInput[]): Promise<DeadLetterReport> {
  if (letters.length === 0) return { delivered: 0, summarised: [], lost: [] };
  const topic = `${letters[0]!.sourceTopic}.dlq`;
  const summarised = new Set<DeadLetterInput>();
  const first = letters.map((l) => {
    const whole = messageOf(codecs, l, null);
    if (!tooLargeToSend(topic, whole)) return whole;
    summarised.add(l);
    return messageOf(codecs, l, SUMMARY_LIMITS);
  });
  try {
    await producer.sendRaw(topic, first);
    return { delivered: letters.length - summarised.size, summarised: [...summarised], lost: [] };
  } catch (error) {
    if (isTransient(error)) throw error;
  }
  // The topic refused the request for good (its own size limit, most likely). Letters go one by one,
  // each smaller at every refusal, so one letter's size does not cost the others their payload.
  // Some of the request may have been written before the refusal: a letter may then appear twice.
  let delivered = 0;
  const lost: LostDeadLetter[] = [];
  for (const l of letters) {
    const attempts: (SummaryLimits | null)[] = summarised.has(l) ? [SUMMARY_LIMITS, MINIMAL_LIMITS] : [null, SUMMARY_LIMITS, MINIMAL_LIMITS];
    for (const [i, limits] of attempts.entries()) {
      try {
        await producer.sendRaw(topic, [messageOf(codecs, l, limits)]);
        if (limits === null) delivered++;
        else summarised.add(l);
        break;
      } catch (error) {
        if (isTransient(error)) throw error;
        if (i === attempts.length - 1) lost.push({ letter: l, error, summary: sizesOf(l, MINIMAL_LIMITS) });
      }
    }
  }
  return { delivered, summarised: [...summarised].filter((l) => !lost.some((x) => x.letter === l)), lost };
}
