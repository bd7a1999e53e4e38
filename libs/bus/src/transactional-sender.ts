/**
 * Exactly-once consume → produce for one input partition: the records a batch produces and the
 * consumer group's offset past that batch are written in one Kafka transaction, so either both
 * happen or neither does. A process killed after producing but before its offsets are committed
 * (the at-least-once gap) leaves an open transaction that readers in `read_committed` (kafkajs's
 * default) never see; the batch is consumed again and produced once.
 *
 * The transactional id is the group's plus the input topic and partition: whoever owns the partition
 * after a rebalance or a restart initialises the same id, which makes the broker abort the previous
 * owner's open transaction at once (rather than after the transaction timeout, during which every
 * read_committed reader of the output partition would wait) and fences it: a zombie's later sends
 * fail. (Kafka's pre-KIP-447 recipe: kafkajs sends no group generation with its offsets.)
 */
import type { Kafka, Producer } from 'kafkajs';
import type { Codecs } from './codecs';
import { BusError, TransientError } from './errors';
import { checkSendable, compressionFor, encodeBatches, isTooLarge, markTransient, splitRequests, type TopicBatch } from './producer';

/** Where the group stands after a batch: the offset of the next record to read. */
export interface ConsumedPosition {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The offset after the batch's last record. */
  readonly nextOffset: string;
}

export interface TransactionalSenders {
  /** Produces `batches` and commits `position` in one transaction. */
  send(position: ConsumedPosition, batches: readonly TopicBatch[]): Promise<void>;
  /** Disconnects every partition's producer. Safe to call twice. */
  close(): Promise<void>;
}

/** @default 30000: an open transaction of a dead process is aborted by its successor, so this only bounds a hung one. */
const TRANSACTION_TIMEOUT_MS = 30_000;

export function createTransactionalSenders(kafka: Kafka, codecs: Codecs): TransactionalSenders {
  const producers = new Map<string, Promise<Producer>>();

  function producerFor(position: ConsumedPosition): Promise<Producer> {
    const transactionalId = `${position.groupId}.${position.topic}.${position.partition}`;
    let ready = producers.get(transactionalId);
    if (!ready) {
      const producer = kafka.producer({
        transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: TRANSACTION_TIMEOUT_MS, allowAutoTopicCreation: false,
        retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 10 },
      });
      ready = producer.connect().then(() => producer);
      // A producer that failed to start is not kept: the next batch tries afresh.
      ready.catch(() => producers.delete(transactionalId));
      producers.set(transactionalId, ready);
    }
    return ready;
  }

  async function drop(position: ConsumedPosition): Promise<void> {
    const transactionalId = `${position.groupId}.${position.topic}.${position.partition}`;
    const ready = producers.get(transactionalId);
    producers.delete(transactionalId);
    await ready?.then((p) => p.disconnect()).catch(() => undefined);
  }

  return {
    async send(position, batches) {
      const topicMessages = encodeBatches(codecs, batches);
      for (const { topic, messages } of topicMessages) checkSendable(topic, messages);
      const producer = await producerFor(position);
      const transaction = await producer.transaction();
      try {
        for (const request of splitRequests(topicMessages)) {
          await transaction.sendBatch({ topicMessages: request, acks: -1, compression: compressionFor(request) });
        }
        await transaction.sendOffsets({ consumerGroupId: position.groupId, topics: [{ topic: position.topic, partitions: [{ partition: position.partition, offset: position.nextOffset }] }] });
        await transaction.commit();
      } catch (error) {
        await transaction.abort().catch(() => undefined);
        // Whatever went wrong (broker away, fenced by the partition's next owner, a coordinator
        // moving), nothing of the batch is visible: the producer is rebuilt and the batch retried.
        // A record the broker can never take was refused by checkSendable above, as permanent.
        await drop(position);
        if (isTooLarge(error)) throw new BusError('RECORD_TOO_LARGE', `the broker refused a batch for ${position.topic}[${position.partition}]'s transaction as too large`, { cause: error });
        // kafkajs calls some of these answers not retriable (no group coordinator while a restarted
        // broker loads its offsets): true of that request, not of the batch. Left so, they voted the
        // batch permanent and the chaos run's broker restart dead-lettered a valid sample.
        markTransient(error);
        throw new TransientError(`the transaction for ${position.topic}[${position.partition}] did not commit; nothing of it is visible`, { cause: error });
      }
    },
    async close() {
      const all = [...producers.values()];
      producers.clear();
      await Promise.all(all.map((ready) => ready.then((p) => p.disconnect()).catch(() => undefined)));
    },
  };
}
