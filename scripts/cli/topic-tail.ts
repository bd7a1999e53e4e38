/**
 * Reading topics the way `kcat -C -o s@<time>` does: from an instant (or the beginning) to the end,
 * or on and on with `follow`. kafkajs consumes only through a group, so the read uses a throwaway
 * group that commits nothing and is deleted afterwards: a tail never moves a service's offsets.
 */
import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { FETCH_MAX_WAIT_MS } from '@maestro/bus';

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  timestampMs: number;
  value: Buffer | null;
  headers: IHeaders;
}

export interface TopicTailOptions {
  /** Where to start: epoch ms of the first record's broker timestamp, or null for the beginning. */
  startMs: number | null;
  /** Keep reading new records until `stop` resolves; else stop at each partition's end as of the call. */
  follow: boolean;
  /** Ends a follow (Ctrl-C). */
  stop: Promise<void>;
  onRecord(record: RawRecord): Promise<void>;
  /** Under the deployment's topic prefix, so ACLs that scope groups by prefix admit it. */
  groupPrefix: string;
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Reads the topics from the start instant; resolves at their end (or when stopped, with follow). */
export async function tailTopics(kafka: Kafka, topicNames: readonly string[], options: TopicTailOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const starts = new Map<string, bigint>();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topicNames) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const from = options.startMs === null ? null : await admin.fetchTopicOffsetsByTimestamp(topic, options.startMs);
      for (const p of offsets) {
        // An instant after every record gives -1 (or the end): nothing of the past to show.
        const found = from?.find((f) => f.partition === p.partition)?.offset;
        const start = found === undefined ? BigInt(p.low) : BigInt(found) < 0n ? BigInt(p.high) : BigInt(found);
        starts.set(partitionKey(topic, p.partition), start);
        if (start < BigInt(p.high)) ends.set(partitionKey(topic, p.partition), BigInt(p.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (!options.follow && ends.size === 0) return;

  const groupId = `${options.groupPrefix}maestro-cli-tail-${randomUUID()}`;
  // The services' fetch wait, not kafkajs's 5 s: its stop waits for the fetch in flight, and a Ctrl-C
  // on a tail that follows should end it at once.
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: FETCH_MAX_WAIT_MS });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topicNames], fromBeginning: true });
    const reachedEnd = new Promise<void>((resolve, reject) => {
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const key = partitionKey(batch.topic, batch.partition);
          const start = starts.get(key) ?? 0n;
          const end = ends.get(key);
          for (const m of batch.messages) {
            const offset = BigInt(m.offset);
            if (offset < start || (!options.follow && (end === undefined || offset >= end))) continue;
            await options.onRecord({ topic: batch.topic, partition: batch.partition, offset: m.offset, timestampMs: Number(m.timestamp), value: m.value, headers: m.headers ?? {} });
          }
          // lastOffset counts records filtered out of the batch too (control records, compaction).
          if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) ends.delete(key);
          if (!options.follow && ends.size === 0) resolve();
        },
      }).catch(reject);
    });
    // The group starts every partition at its beginning; seeking skips what is before the instant.
    for (const [key, offset] of starts) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      consumer.seek({ topic, partition: Number(partition), offset: offset.toString() });
    }
    // With follow the read never reaches its end; a crash of the consumer still ends it, with the error.
    await Promise.race([reachedEnd, options.stop]);
  } finally {
    await consumer.disconnect();
    // Best effort: a group left behind holds no offsets (nothing was committed) and the broker expires it.
    const cleanup = kafka.admin();
    await cleanup.connect().then(() => cleanup.deleteGroups([groupId])).catch(() => undefined).finally(() => cleanup.disconnect());
  }
}
