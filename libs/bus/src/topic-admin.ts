import type { Kafka } from 'kafkajs';
import { deadLetterRetentionMs, type TopicSpec } from '@maestro/contracts';

export interface EnsureTopicsOptions {
  kafka: Kafka;
  specs: readonly TopicSpec[];
  topicPrefix: string;
  /** Replication factor for new topics; 1 on a single local broker. @default 1 */
  replicationFactor?: number;
}

/**
 * Creates the catalog's topics (and their dead-letter topics) that do not exist yet. Existing topics
 * are left as they are: changing partition counts under running consumers reorders keys.
 * Returns the names it created.
 */
export async function ensureTopics({ kafka, specs, topicPrefix, replicationFactor = 1 }: EnsureTopicsOptions): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = specs.flatMap((spec) => {
      const name = topicPrefix + spec.name;
      const main = {
        topic: name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [
          { name: 'cleanup.policy', value: spec.cleanupPolicy },
          { name: 'retention.ms', value: String(spec.retentionMs) },
        ],
      };
      const dlq = {
        topic: `${name}.dlq`,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [{ name: 'retention.ms', value: String(deadLetterRetentionMs) }],
      };
      return spec.deadLetter ? [main, dlq] : [main];
    });
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      // Several replicas may race to create the same topics; "already exists" is success here.
      await admin.createTopics({ topics: missing, waitForLeaders: true }).catch((error: { type?: string }) => {
        if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
      });
    }
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
