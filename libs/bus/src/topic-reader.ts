/**
 * Reading a topic to its end: every record up to each partition's high watermark at the time of the
 * call. Compacted state topics are rebuilt this way (the planner's and dispatcher's working copies,
 * discovery's registry), and tests inspect what services produced.
 *
 * kafkajs consumes only through a group, so the read uses a throwaway group that commits nothing and
 * is deleted afterwards. Records produced after the call started are not waited for.
 */
import type { IHeaders, Kafka } from 'kafkajs';
import type { Logger } from './logger';
import { retryTransient } from './transient-retry';

export interface TopicRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  /** null for a tombstone. */
  value: Buffer | null;
  headers: Record<string, string>;
  /** The broker's timestamp, epoch ms. */
  timestampMs: number;
}

export interface TopicReadOptions {
  /** Unique per read, under the deployment's topic prefix. */
  groupId: string;
  /** Bound on the whole read, group join included. */
  timeoutMs: number;
  logger?: Logger;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** The topic's records up to its end, partition by partition, in offset order. */
export async function readTopicToEnd(kafka: Kafka, topic: string, options: TopicReadOptions): Promise<TopicRecord[]> {
  const { groupId, timeoutMs } = options;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await retryTransient(() => admin.fetchTopicOffsets(topic));
    const ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    if (ends.size === 0) return [];
    const byPartition = new Map<number, TopicRecord[]>();
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
            const records = byPartition.get(batch.partition) ?? [];
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= end) continue;
              records.push({ partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: headerStrings(m.headers), timestampMs: Number(m.timestamp) });
            }
            byPartition.set(batch.partition, records);
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
      await admin.deleteGroups([groupId]).catch((err: unknown) => options.logger?.debug({ err, groupId }, 'throwaway group not deleted; the broker expires it'));
    }
    return [...byPartition.keys()].sort((a, b) => a - b).flatMap((p) => byPartition.get(p)!);
  } finally {
    await admin.disconnect();
  }
}
