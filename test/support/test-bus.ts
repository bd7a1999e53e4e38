import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import { createKafkaClient, createProducer, ensureTopics, registerCodecs, silentLogger, type BusProducer, type Codecs } from '@maestro/bus';
import { stackEnv } from './environment';

export interface TestBus {
  kafka: Kafka;
  codecs: Codecs;
  producer: BusProducer;
  registry: SchemaRegistry;
  /** Reads every record currently on a topic (all partitions, from the beginning) without a group. */
  readAll(topic: string, timeoutMs?: number): Promise<{ key: string | null; value: Buffer | null; headers: Record<string, string>; partition: number; offset: string; timestampMs: number }[]>;
  /** Every record currently on a catalog topic (under the test's prefix), decoded. */
  readValues<T extends TopicSpec>(spec: T, timeoutMs?: number): Promise<ValueOf<T>[]>;
  close(): Promise<void>;
}

/** The bus as a test uses it: real topics under the test's prefix, real registry, real producer. */
export async function createTestBus(prefix: string, specs: readonly TopicSpec[]): Promise<TestBus> {
  const kafka = createKafkaClient({ brokers: stackEnv.KAFKA_BROKERS.split(','), clientId: 'maestro-test', logger: silentLogger });
  const registry = new SchemaRegistry({ host: stackEnv.SCHEMA_REGISTRY_URL });
  await ensureTopics({ kafka, specs, topicPrefix: prefix });
  const codecs = await registerCodecs({ registry, specs, topicPrefix: prefix });
  const producer = createProducer(kafka, codecs);
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();

  const bus: TestBus = {
    kafka, codecs, producer, registry,
    async readAll(topic, timeoutMs = 30_000) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const remaining = new Map(offsets.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
      const out: Awaited<ReturnType<TestBus['readAll']>> = [];
      if (remaining.size === 0) return out;
      // A throwaway group: tests inspect topics, they do not consume them.
      const consumer = kafka.consumer({ groupId: `test-reader-${Math.random().toString(36).slice(2)}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out; partitions left: ${[...remaining.keys()].join(',')}`)), timeoutMs);
          consumer.run({
            eachMessage: async ({ partition, message }) => {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v)!.toString();
              out.push({ key: message.key?.toString() ?? null, value: message.value, headers, partition, offset: message.offset, timestampMs: Number(message.timestamp) });
              const high = remaining.get(partition);
              if (high !== undefined && BigInt(message.offset) + 1n >= high) remaining.delete(partition);
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
      return out;
    },
    async readValues(spec, timeoutMs) {
      const raw = await bus.readAll(codecs.topicName(spec), timeoutMs);
      raw.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
      return Promise.all(raw.map((r) => codecs.decode(spec, r.value)));
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
  return bus;
}
