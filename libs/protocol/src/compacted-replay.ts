/**
 * Rebuilding a Redis working copy from a compacted state topic (at start, and when Redis lost it).
 * Every state record carries a revision; a key is written when Redis lacks it or holds an older
 * revision, never over a newer one, so replay is safe while other replicas serve requests. Used by
 * the planner (`plans`) and the dispatcher (`executions`).
 *
 * A record that cannot be read (not in the wire format, a schema the registry does not know or this
 * service cannot read, bytes that do not decode) must not keep the service from starting: that would
 * stall every tenant for one record. Nor may the replay fall back to an older record of the same key:
 * an execution restored from before its last commit hands out steps that already ran. So a record
 * key whose newest record is unreadable is left out of the copy, its charter (the scope the key
 * starts with) is held, and the record goes to the topic's dead-letter topic with its reason. A held
 * charter's calls are refused with `state_unreadable` (protocol-handler.ts) until a replay reads it.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import { isBusError, readTopicToEnd, sendDeadLetters, type BusProducer, type Codecs, type TopicRecord } from '@maestro/bus';
import type { Redis } from '@maestro/state';
import { parseCharterScope } from './charter-scope';
import type { HeldCharter } from './held-charter';
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
  /** Sends unreadable records to the topic's dead-letter topic. */
  producer: BusProducer;
  /** Runs with the charters held before any state is written. */
  beforeWrite?(held: ReadonlyMap<string, HeldCharter>): Promise<void>;
  /**
   * A set of the unreadable records already dead-lettered (`<partition>:<offset>`), so that a replay
   * repeated while a charter is held does not send them again. Without it each replay sends them.
   */
  letteredKey?: string;
  /** @default 60000 */
  timeoutMs?: number;
}

/** A record as the replay read it: its entry, or why it could not be read. */
export type ReadRecord =
  | { readonly recordKey: string | null; readonly entry: ReplayEntry | null }
  | { readonly recordKey: string | null; readonly unreadable: { readonly code: string; readonly reason: string } };

/** What the replay restores: the newest entry per Redis key, and the record keys whose newest record is unreadable. */
export interface ReplaySelection {
  readonly entries: readonly ReplayEntry[];
  /** Indexes (into the records given) of the unreadable records that are their key's newest. */
  readonly unreadableNewest: readonly number[];
}

/**
 * The charter scope a state record's key starts with (`<tenant>/<charterId>`, then `/<goalId>…`);
 * null for a key no scope starts (a record from before keys were scoped by tenant, or none).
 */
export function scopeOfRecordKey(recordKey: string | null): string | null {
  if (recordKey === null) return null;
  const parts = recordKey.split('/');
  if (parts.length < 2) return null;
  const scope = `${parts[0]}/${parts[1]}`;
  return parseCharterScope(scope) ? scope : null;
}

/**
 * Records in topic order (each partition in offset order; a record key always maps to one partition,
 * so its records keep their order): the newest entry per Redis key by revision, leaving out every
 * record key whose newest record is unreadable. An unreadable record followed by a readable one of
 * its key is superseded, as compaction would have dropped it.
 */
export function selectReplay(records: readonly ReadRecord[]): ReplaySelection {
  const newestOfKey = new Map<string, number>();
  records.forEach((r, i) => {
    if (r.recordKey !== null) newestOfKey.set(r.recordKey, i);
  });
  const unreadableKeys = new Set<string>();
  const unreadableNewest: number[] = [];
  records.forEach((r, i) => {
    if (!('unreadable' in r)) return;
    if (r.recordKey === null) unreadableNewest.push(i);
    else if (newestOfKey.get(r.recordKey) === i) {
      unreadableKeys.add(r.recordKey);
      unreadableNewest.push(i);
    }
  });
  const latest = new Map<string, ReplayEntry>();
  for (const r of records) {
    if ('unreadable' in r || r.entry === null) continue;
    if (r.recordKey !== null && unreadableKeys.has(r.recordKey)) continue;
    const prior = latest.get(r.entry.key);
    if (!prior || prior.revision <= r.entry.revision) latest.set(r.entry.key, r.entry);
  }
  return { entries: [...latest.values()], unreadableNewest };
}

/** What one replay did. */
export interface ReplayResult {
  records: number;
  written: number;
  writtenIds: string[];
  /** Charters left out of the copy because a newest record of theirs is unreadable, by scope. */
  held: Map<string, HeldCharter>;
  /** Unreadable records with no charter scope in their key: dead-lettered, nothing held. */
  unscoped: number;
  /** Unreadable records the `.dlq` topic refused even as a minimal summary: not marked sent, so the next replay tries them again. */
  lostLetters: { partition: number; offset: string; code: string; reason: string }[];
}

function asMessage(record: TopicRecord): KafkaMessage {
  return { key: record.key, value: record.value, headers: record.headers, offset: record.offset, timestamp: String(record.timestampMs), attributes: 0 };
}

/** Reads the topic to its current end and restores what Redis lacks; returns how many keys were written, for which entities, and what it held. */
export async function replayCompacted<T extends TopicSpec>(options: ReplayOptions<T>): Promise<ReplayResult> {
  const { kafka, codecs, redis, spec } = options;
  const topic = codecs.topicName(spec);
  const groupId = `${options.groupPrefix}.replay.${randomBytes(4).toString('hex')}`;
  const records = await readTopicToEnd(kafka, topic, { groupId, timeoutMs: options.timeoutMs ?? 60_000 });
  const read: ReadRecord[] = [];
  for (const record of records) {
    const recordKey = record.key?.toString() ?? null;
    try {
      // A tombstone restores nothing, and supersedes an unreadable record before it.
      read.push({ recordKey, entry: record.value === null ? null : options.toEntry(await codecs.decode(spec, record.value)) });
    } catch (err: unknown) {
      // A transient failure (the registry away) is retried by the caller; only the record's own fault is set aside.
      if (!isBusError(err) || err.retryable) throw err;
      read.push({ recordKey, unreadable: { code: err.code, reason: err.message } });
    }
  }
  const selection = selectReplay(read);

  const nowMs = Date.now();
  const held = new Map<string, HeldCharter>();
  let unscoped = 0;
  const letters = selection.unreadableNewest.map((i) => {
    const record = records[i]!;
    const { recordKey, unreadable } = read[i] as Extract<ReadRecord, { unreadable: unknown }>;
    const scope = scopeOfRecordKey(recordKey);
    if (scope === null) unscoped++;
    else {
      const prior = held.get(scope);
      const at = { topic, partition: record.partition, offset: record.offset, key: recordKey!, code: unreadable.code };
      held.set(scope, {
        reason: prior ? `${prior.reason}; ${unreadable.reason}` : `${topic} record '${recordKey}' (partition ${record.partition}, offset ${record.offset}) cannot be read: ${unreadable.reason}`,
        records: [...prior?.records ?? [], at], heldAtMs: nowMs,
      });
    }
    return { sourceTopic: topic, partition: record.partition, message: asMessage(record), code: unreadable.code, reason: unreadable.reason, consumerGroup: groupId, nowMs };
  });
  // Each unreadable record is dead-lettered once while Redis keeps the set of those sent; a replay
  // after Redis lost it sends them again, with their partition and offset to tell the copies apart.
  // A letter the `.dlq` refused even as a summary is not marked sent: the record is still on the
  // state topic, and the next replay (for a held charter, the recheck a minute later) tries it again.
  const letterId = (l: (typeof letters)[number]) => `${l.partition}:${l.message.offset}`;
  const sent = options.letteredKey ? new Set(await redis.smembers(options.letteredKey)) : new Set<string>();
  const fresh = letters.filter((l) => !sent.has(letterId(l)));
  const report = await sendDeadLetters(codecs, options.producer, fresh);
  const lost = new Set(report.lost.map(({ letter }) => letter));
  const delivered = fresh.filter((l) => !lost.has(l)).map(letterId);
  if (options.letteredKey && delivered.length > 0) await redis.sadd(options.letteredKey, ...delivered);
  await options.beforeWrite?.(held);

  const writtenIds = new Set<string>();
  let written = 0;
  const entries = selection.entries;
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
  const lostLetters = report.lost.map(({ letter }) => ({ partition: letter.partition, offset: letter.message.offset, code: letter.code, reason: letter.reason }));
  return { records: records.length, written, writtenIds: [...writtenIds], held, unscoped, lostLetters };
}
