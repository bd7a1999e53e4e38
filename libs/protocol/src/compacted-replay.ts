/**
 * Rebuilding a Redis working copy from a compacted state topic (at start, and when Redis lost it).
 * Every state record carries a revision; a key is written when Redis lacks it or holds an older
 * revision, never over a newer one, so replay is safe while other replicas serve requests. Used by
 * the planner (`plans`) and the dispatcher (`executions`).
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import { readTopicToEnd, type Codecs } from '@maestro/bus';
import type { Redis } from '@maestro/state';
import { queueSetIfNewer } from './state-commit';

export interface ReplayEntry {
  key: string;
  json: string;
  revision: number;
  /** The entity the record belongs to (a charter id), reported back when its key was written. */
  id: string;
}

export interface ReplayOptions<T extends TopicSpec> {
  kafka: Kafka;
  codecs: Codecs;
  redis: Redis;
  spec: T;
  /** Consumer group id prefix; a one-off group `<prefix>.replay.<random>` is used and deleted. */
  groupPrefix: string;
  /** The Redis key, state JSON, revision and entity id of a record; null skips it. */
  toEntry(value: ValueOf<T>): ReplayEntry | null;
  /** @default 60000 */
  timeoutMs?: number;
}

/** Reads the topic to its current end and restores what Redis lacks; returns how many keys were written and for which entities. */
export async function replayCompacted<T extends TopicSpec>(options: ReplayOptions<T>): Promise<{ records: number; written: number; writtenIds: string[] }> {
  const { kafka, codecs, redis, spec } = options;
  const groupId = `${options.groupPrefix}.replay.${randomBytes(4).toString('hex')}`;
  const records = await readTopicToEnd(kafka, codecs.topicName(spec), { groupId, timeoutMs: options.timeoutMs ?? 60_000 });
  const latest = new Map<string, ReplayEntry>();
  for (const { value } of records) {
    if (!value) continue;
    const entry = options.toEntry(await codecs.decode(spec, value));
    if (!entry) continue;
    const prior = latest.get(entry.key);
    if (!prior || prior.revision <= entry.revision) latest.set(entry.key, entry);
  }
  const writtenIds = new Set<string>();
  let written = 0;
  const entries = [...latest.values()];
  for (let i = 0; i < entries.length; i += 200) {
    const chunk = entries.slice(i, i + 200);
    const pipeline = redis.pipeline();
    for (const { key, json, revision } of chunk) queueSetIfNewer(pipeline, key, json, revision);
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, value], j) => {
      if (error) throw error;
      if (value === 1) {
        written++;
        writtenIds.add(chunk[j]!.id);
      }
    });
  }
  return { records: records.length, written, writtenIds: [...writtenIds] };
}
