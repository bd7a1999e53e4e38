import type { KafkaMessage } from 'kafkajs';
import type { Codecs } from './codecs';
import type { BusProducer } from './producer';

export interface DeadLetterInput {
  sourceTopic: string;
  partition: number;
  message: KafkaMessage;
  code: string;
  reason: string;
  consumerGroup: string;
  nowMs: number;
}

function headerBytes(value: Buffer | string | (Buffer | string)[] | undefined): Buffer | null {
  if (value === undefined) return null;
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(one);
}

/**
 * Sends records a consumer refused to `<topic>.dlq`, keeping the original key, value and headers byte
 * for byte, with the reason. Keyed as the original so one entity's dead letters stay in order.
 */
export async function sendDeadLetters(codecs: Codecs, producer: BusProducer, letters: DeadLetterInput[]): Promise<void> {
  if (letters.length === 0) return;
  const topic = `${letters[0]!.sourceTopic}.dlq`;
  await producer.sendRaw(
    topic,
    letters.map((l) => ({
      key: l.message.key,
      value: codecs.encodeDeadLetter(l.sourceTopic, {
        sourceTopic: l.sourceTopic,
        sourcePartition: l.partition,
        sourceOffset: l.message.offset,
        key: l.message.key ?? null,
        value: l.message.value ?? null,
        headers: Object.entries(l.message.headers ?? {}).map(([name, value]) => ({ name, value: headerBytes(value) })),
        errorCode: l.code,
        reason: l.reason,
        consumerGroup: l.consumerGroup,
        failedAtMs: l.nowMs,
      }),
      headers: { 'maestro-dlq-reason': l.code },
    })),
  );
}
