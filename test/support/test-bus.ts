import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import { createKafkaClient, createProducer, createRegistryClient, ensureTopics, readTopicToEnd, registerCodecs, silentLogger, type BusProducer, type Codecs } from '@maestro/bus';
import { stackEnv } from './environment';
import { adminClientOptions } from './kafka-auth';

export interface TestBus {
  kafka: Kafka;
  codecs: Codecs;
  producer: BusProducer;
  registry: SchemaRegistry;
  /** Reads every record currently on a topic (all partitions, from the beginning) without a group. */
  readAll(topic: string, timeoutMs?: number): Promise<{ key: string | null; value: Buffer | null; headers: Record<string, string>; partition: number; offset: string; timestampMs: number }[]>;
  /** Every record currently on a catalog topic (under the test's prefix), decoded. */
  readValues<T extends TopicSpec>(spec: T, timeoutMs?: number): Promise<ValueOf<T>[]>;
  /** A consumer group as the broker sees it: 'Empty' with no members once the last has left (not merely gone quiet). */
  groupState(groupId: string): Promise<{ state: string; members: number }>;
  close(): Promise<void>;
}

/** The bus as a test uses it: real topics under the test's prefix, real registry, real producer. */
export async function createTestBus(prefix: string, specs: readonly TopicSpec[]): Promise<TestBus> {
  // The harness is the operator: on an authenticated broker it connects as the admin.
  const kafka = createKafkaClient({ brokers: stackEnv.KAFKA_BROKERS.split(','), clientId: 'maestro-test', logger: silentLogger, ...adminClientOptions() });
  // Bounded as the services' client is, so a registry that stops answering fails the test with a
  // timeout error instead of holding it silently until the test's own timeout.
  const registry = createRegistryClient({ url: stackEnv.SCHEMA_REGISTRY_URL, requestTimeoutMs: 10_000 });
  await ensureTopics({ kafka, specs, topicPrefix: prefix });
  const codecs = await registerCodecs({ registry, specs, topicPrefix: prefix });
  const producer = createProducer(kafka, codecs);
  await producer.connect();

  const bus: TestBus = {
    kafka, codecs, producer, registry,
    async readAll(topic, timeoutMs = 30_000) {
      // A throwaway group: tests inspect topics, they do not consume them.
      const records = await readTopicToEnd(kafka, topic, { groupId: `test-reader-${Math.random().toString(36).slice(2)}`, timeoutMs });
      return records.map((r) => ({ ...r, key: r.key?.toString() ?? null }));
    },
    async readValues(spec, timeoutMs) {
      const raw = await bus.readAll(codecs.topicName(spec), timeoutMs);
      raw.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
      return Promise.all(raw.map((r) => codecs.decode(spec, r.value)));
    },
    async groupState(groupId) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { groups: [group] } = await admin.describeGroups([groupId]);
        return { state: group!.state, members: group!.members.length };
      } finally {
        await admin.disconnect();
      }
    },
    async close() {
      await producer.disconnect();
    },
  };
  return bus;
}
