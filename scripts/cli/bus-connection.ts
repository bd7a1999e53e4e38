/**
 * The bus as the CLI reaches it: the same variables the services read (KAFKA_BROKERS,
 * SCHEMA_REGISTRY_URL, MAESTRO_TOPIC_PREFIX, KAFKA_SASL_*, KAFKA_TLS*, SCHEMA_REGISTRY_USERNAME/PASSWORD),
 * parsed by the services' own config spec, so a bad value is refused with the variable's name.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import type { TopicSpec } from '@maestro/contracts';
import { connectionEnv, createKafkaClient, createRegistryClient, localCredentialsPath, localKafkaAuth, readCredentialsFile, registerCodecs, REGISTRY_TIMEOUT, silentLogger, type Codecs } from '@maestro/bus';
import { baseConfigSpec, loadConfig, type Env } from '@maestro/runtime';
import { kafkaCredentials, kafkaTls, registryAuth } from '../../libs/runtime/src/base-config';

export interface BusConnection {
  kafka: Kafka;
  registry: SchemaRegistry;
  topicPrefix: string;
  brokers: readonly string[];
  registryUrl: string;
  /** Codecs for these topics, their subjects registered as the services register them (idempotent). */
  codecs(specs: readonly TopicSpec[]): Promise<Codecs>;
}

/**
 * The environment with the local stack's admin credentials (and its TLS CA) added when nothing says
 * how to authenticate: `npm start` runs Kafka with SASL/SCRAM, and a newcomer's
 * `npm run maestro -- tail anomalies` should read it as the operator does, not fail with the
 * broker's "Closed connection". Anything set in the environment wins; another broker than the
 * stack's is left alone.
 */
export function withLocalStackCredentials(env: Env, repositoryRoot = resolve(import.meta.dirname, '../..')): Env {
  if (env.KAFKA_SASL_MECHANISM || localKafkaAuth(env) !== 'scram') return env;
  const path = localCredentialsPath(env, repositoryRoot);
  if (!existsSync(path)) return env;
  const file = readCredentialsFile(path);
  if (env.KAFKA_BROKERS && env.KAFKA_BROKERS !== file.brokers) return env;
  return { ...connectionEnv(file, 'admin'), ...env, KAFKA_BROKERS: file.brokers };
}

export function connectBus(env: Env): BusConnection {
  const config = loadConfig(baseConfigSpec(0), env);
  const credentials = kafkaCredentials(config);
  const tls = kafkaTls(config);
  const auth = registryAuth(config);
  // A short connection timeout: a CLI that cannot reach the broker should say so, not hang.
  const kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: 'maestro-cli', logger: silentLogger, connectionTimeoutMs: 3_000, ...(credentials ? { credentials } : {}), ...(tls ? { tls } : {}) });
  const registry = createRegistryClient({ url: config.schemaRegistryUrl, ...(auth ? { auth } : {}), requestTimeoutMs: config.schemaRegistryTimeoutMs });
  return {
    kafka, registry, topicPrefix: config.topicPrefix, brokers: config.kafkaBrokers, registryUrl: config.schemaRegistryUrl,
    codecs: (specs) => registerCodecs({ registry, specs, topicPrefix: config.topicPrefix }),
  };
}

const UNREACHABLE = new RegExp(`ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Connection (error|timeout)|fetch failed|${REGISTRY_TIMEOUT.source}`, 'i');

/** Every message down an error's cause chain, outermost first. */
function messages(error: unknown): string[] {
  const out: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) out.push(e.message);
  return out;
}

/**
 * An error of the bus said as the user can act on it: which of the broker or the registry did not
 * answer, at which address, and how to start them. Anything else is returned as it was.
 */
export function explainBusFailure(error: unknown, bus: Pick<BusConnection, 'brokers' | 'registryUrl'>): unknown {
  const chain = messages(error);
  // A SASL listener drops a client that does not authenticate; kafkajs only says "Closed connection".
  if (chain.some((m) => /Closed connection/i.test(m))) {
    return new Error(`the Kafka broker at ${bus.brokers.join(',')} closed the connection: it probably wants SASL (the local stack's does). `
      + 'Set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (and KAFKA_TLS_CA_FILE for a TLS listener), or run from the repository whose .stack/ started it', { cause: error });
  }
  if (!chain.some((m) => UNREACHABLE.test(m))) return error;
  const fix = 'start the stack with `npm start` (or only Kafka, the registry and Redis: `npm run stack:up`)';
  if (chain.some((m) => m.startsWith('registering ') || m.includes('schema id'))) {
    return new Error(`the schema registry at ${bus.registryUrl} is not reachable (${chain.at(-1)}): ${fix}, or set SCHEMA_REGISTRY_URL`, { cause: error });
  }
  return new Error(`the Kafka broker at ${bus.brokers.join(',')} is not reachable (${chain.at(-1)}): ${fix}, or set KAFKA_BROKERS`, { cause: error });
}
