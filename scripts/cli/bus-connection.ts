/**
 * The bus as the CLI reaches it: the same variables the services read (KAFKA_BROKERS,
 * SCHEMA_REGISTRY_URL, MAESTRO_TOPIC_PREFIX, KAFKA_SASL_*, SCHEMA_REGISTRY_USERNAME/PASSWORD),
 * parsed by the services' own config spec, so a bad value is refused with the variable's name.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import type { TopicSpec } from '@maestro/contracts';
import { createKafkaClient, registerCodecs, silentLogger, type Codecs } from '@maestro/bus';
import { baseConfigSpec, loadConfig, type Env } from '@maestro/runtime';
import { kafkaCredentials, registryAuth } from '../../libs/runtime/src/base-config';

export interface BusConnection {
  kafka: Kafka;
  registry: SchemaRegistry;
  topicPrefix: string;
  brokers: readonly string[];
  /** Codecs for these topics, their subjects registered as the services register them (idempotent). */
  codecs(specs: readonly TopicSpec[]): Promise<Codecs>;
}

export function connectBus(env: Env): BusConnection {
  const config = loadConfig(baseConfigSpec(0), env);
  const credentials = kafkaCredentials(config);
  const auth = registryAuth(config);
  // A short connection timeout: a CLI that cannot reach the broker should say so, not hang.
  const kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: 'maestro-cli', logger: silentLogger, connectionTimeoutMs: 3_000, ...(credentials ? { credentials } : {}) });
  const registry = new SchemaRegistry({ host: config.schemaRegistryUrl, ...(auth ? { auth } : {}) });
  return {
    kafka, registry, topicPrefix: config.topicPrefix, brokers: config.kafkaBrokers,
    codecs: (specs) => registerCodecs({ registry, specs, topicPrefix: config.topicPrefix }),
  };
}
