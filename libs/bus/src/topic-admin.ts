import type { Admin, Kafka } from 'kafkajs';
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
      // Several replicas may race to create the same topics; whoever wins, what matters is that
      // they exist afterwards (kafkajs reports the race in more than one shape of error).
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: false });
      } catch (error) {
        const now = new Set(await admin.listTopics());
        if (missing.some((t) => !now.has(t.topic))) throw error;
      }
    }
    await waitForLeaders(admin, wanted.map((t) => t.topic));
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of the topics has a leader. A replica that lost the creation race
 * must not subscribe or produce before then: the broker would answer "does not host this
 * topic-partition".
 */
async function waitForLeaders(admin: Admin, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics have no leader after ${timeoutMs} ms: ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
