/**
 * Reading the compacted `assets` topic to its end, for a leader that finds no stored registry (the
 * first start, a lost Redis, a new state version): the topic holds every asset's latest record.
 *
 * kafkajs consumes only through a group, so the read uses a throwaway group that commits nothing
 * and is deleted afterwards. "The end" is the high watermark of each partition when the read starts;
 * records published later are this very leader's own, or a former leader's, which the lease fences.
 */
import type { Kafka } from 'kafkajs';
import { isBusError, retryTransient, type Codecs, type Logger } from '@maestro/bus';
import { topics, type AssetEvent } from '@maestro/contracts';

export interface AssetsTopicReadOptions {
  kafka: Kafka;
  codecs: Codecs;
  /** Unique per read, under the deployment's topic prefix. */
  groupId: string;
  /** Bound on the whole read, group join included. */
  timeoutMs: number;
  logger: Logger;
}

/** Every record on the topic up to its end at the time of the call, in offset order per partition. */
export async function readAssetsTopic(options: AssetsTopicReadOptions): Promise<AssetEvent[]> {
  const { kafka, codecs, groupId, timeoutMs, logger } = options;
  const topic = codecs.topicName(topics.assets);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await retryTransient(() => admin.fetchTopicOffsets(topic));
    const ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    if (ends.size === 0) return [];
    const byPartition = new Map<number, Buffer[]>();
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${topic} not read to its end within ${timeoutMs} ms; partitions left: ${[...ends.keys()].join(',')}`)), timeoutMs);
        consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition);
            if (end === undefined) return;
            const values = byPartition.get(batch.partition) ?? [];
            for (const message of batch.messages) {
              // A tombstone deletes its key; discovery writes none, but an operator may have.
              if (BigInt(message.offset) < end && message.value !== null) values.push(message.value);
            }
            byPartition.set(batch.partition, values);
            // lastOffset counts records filtered out of the batch too (control records, compaction).
            if (BigInt(batch.lastOffset()) + 1n >= end) ends.delete(batch.partition);
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch((err: unknown) => logger.debug({ err, groupId }, 'throwaway group not deleted; the broker expires it'));
    }
    const events: AssetEvent[] = [];
    for (const partition of [...byPartition.keys()].sort((a, b) => a - b)) {
      for (const value of byPartition.get(partition) ?? []) {
        try {
          events.push(await codecs.decode(topics.assets, value));
        } catch (err: unknown) {
          // One unreadable record must not keep every future leader from starting; others are retried.
          if (!isBusError(err) || err.retryable) throw err;
          logger.warn({ err, partition }, 'undecodable record on the assets topic skipped in the rebuild');
        }
      }
    }
    return events;
  } finally {
    await admin.disconnect();
  }
}
