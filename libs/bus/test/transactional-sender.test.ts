import { describe, expect, it } from 'vitest';
import { KafkaJSProtocolError, type Kafka } from 'kafkajs';
import type { Codecs } from '../src/codecs';
import { createTransactionalSenders } from '../src/transactional-sender';
import { isTransient } from '../src/transience';

/** A broker's answer as kafkajs raises it; kafkajs marks some of them not retriable. */
const answer = (type: string, message: string, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(message), { type, code: 0, retriable }));

// A stand-in for kafkajs's transactional producer whose commit fails with `failure`: what the
// decision under test (is the batch retried or dead-lettered?) depends on is the error alone.
function sendersFailingWith(failure: Error) {
  const kafka = {
    producer: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      transaction: async () => ({
        sendBatch: async () => undefined,
        sendOffsets: async () => undefined,
        commit: async () => { throw failure; },
        abort: async () => undefined,
      }),
    }),
  };
  return createTransactionalSenders(kafka as unknown as Kafka, { topicName: (spec: { name: string }) => spec.name } as unknown as Codecs);
}

const position = { groupId: 'g', topic: 'telemetry.raw', partition: 3, nextOffset: '956' };

describe('a transaction that did not commit', () => {
  it('is transient even when kafkajs calls the broker\'s answer not retriable (no coordinator while a restarted broker loads)', async () => {
    const failed = await sendersFailingWith(answer('GROUP_COORDINATOR_NOT_AVAILABLE', 'Failed to find group coordinator', false)).send(position, []).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).name).toBe('TransientError');
    expect(isTransient(failed)).toBe(true);
  });

  it('is permanent when the broker refused the batch as too large: retrying cannot help', async () => {
    const failed = await sendersFailingWith(answer('MESSAGE_TOO_LARGE', 'The request included a message larger than the max message size', false)).send(position, []).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'BusError', code: 'RECORD_TOO_LARGE' });
    expect(isTransient(failed)).toBe(false);
  });
});
