/**
 * Rebuilding a Redis working copy from a compacted state topic at start. Every state record carries
 * a revision; a key is written when Redis lacks it or holds an older revision (a crash between the
 * Kafka send and the Redis SET), never over a newer one, so replay is safe while other replicas
 * serve requests. Used by the planner (`plans`) and the dispatcher (`executions`).
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import { retryTransient, type Codecs } from '@maestro/bus';
import type { Redis } from '@maestro/state';

/**
 * KEYS[1]: the state key. ARGV[1]: the state JSON, ARGV[2]: its revision.
 * Sets the key unless it holds a JSON state whose `revision` is >= ARGV[2]. Returns 1 when written.
 */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded.revision or 0) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

export interface ReplayOptions<T extends TopicSpec> {
  kafka: Kafka;
  codecs: Codecs;
  redis: Redis;
  spec: T;
  /** Consumer group id prefix; a one-off group `<prefix>.replay.<random>` is used and deleted. */
  groupPrefix: string;
  /** The Redis key, state JSON and revision of a record; null skips it. */
  toEntry(value: ValueOf<T>): { key: string; json: string; revision: number } | null;
  /** @default 60000 */
  timeoutMs?: number;
}

/** Reads the topic to its current end and restores what Redis lacks; returns how many keys were written. */
export async function replayCompacted<T extends TopicSpec>(options: ReplayOptions<T>): Promise<{ records: number; written: number }> {
  const { kafka, codecs, redis, spec } = options;
  const topic = codecs.topicName(spec);
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}.replay.${randomBytes(4).toString('hex')}`;
  const latest = new Map<string, { json: string; revision: number }>();
  let records = 0;
  try {
    const offsets = await retryTransient(() => admin.fetchTopicOffsets(topic));
    const remaining = new Map(offsets.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
    if (remaining.size > 0) {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`replaying ${topic} timed out; partitions left: ${[...remaining.keys()].join(',')}`)), options.timeoutMs ?? 60_000);
          consumer.run({
            eachBatchAutoResolve: true,
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                records++;
                if (message.value) {
                  const entry = options.toEntry(await codecs.decode(spec, message.value));
                  if (entry) {
                    const prior = latest.get(entry.key);
                    if (!prior || prior.revision <= entry.revision) latest.set(entry.key, { json: entry.json, revision: entry.revision });
                  }
                }
                const high = remaining.get(batch.partition);
                if (high !== undefined && BigInt(message.offset) + 1n >= high) remaining.delete(batch.partition);
              }
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          }).catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
  let written = 0;
  const entries = [...latest.entries()];
  for (let i = 0; i < entries.length; i += 200) {
    const pipeline = redis.pipeline();
    for (const [key, { json, revision }] of entries.slice(i, i + 200)) pipeline.eval(SET_IF_NEWER, 1, key, json, String(revision));
    const results = (await pipeline.exec()) ?? [];
    for (const [error, value] of results) {
      if (error) throw error;
      if (value === 1) written++;
    }
  }
  return { records, written };
}
