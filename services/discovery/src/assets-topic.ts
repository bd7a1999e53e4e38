/**
 * Reading the compacted `assets` topic to its end, for a leader that finds no stored registry (the
 * first start, a lost Redis, a new state version): the topic holds every asset's latest record.
 * "The end" is the high watermark of each partition when the read starts; records published later
 * are this very leader's own, or a former leader's, which the lease fences.
 */
import type { Kafka } from 'kafkajs';
import { isBusError, readTopicToEnd, type Codecs, type Logger } from '@maestro/bus';
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
  const records = await readTopicToEnd(kafka, codecs.topicName(topics.assets), { groupId, timeoutMs, logger });
  const events: AssetEvent[] = [];
  for (const { value, partition } of records) {
    // A tombstone deletes its key; discovery writes none, but an operator may have.
    if (value === null) continue;
    try {
      events.push(await codecs.decode(topics.assets, value));
    } catch (err: unknown) {
      // One unreadable record must not keep every future leader from starting; others are retried.
      if (!isBusError(err) || err.retryable) throw err;
      logger.warn({ err, partition }, 'undecodable record on the assets topic skipped in the rebuild');
    }
  }
  return events;
}
