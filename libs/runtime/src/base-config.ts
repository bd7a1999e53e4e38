import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { saslMechanisms, type KafkaCredentials, type KafkaTls } from '@maestro/bus';
import { ConfigError, flag, hostPortList, integer, oneOf, optionalText, text, url, type ConfigOf, type ConfigSpec } from './config';

/** Variables every service reads. Service-specific ones are added by each service's own spec. */
export function baseConfigSpec(defaultPort: number) {
  return {
    kafkaBrokers: hostPortList('KAFKA_BROKERS', 'Kafka bootstrap brokers, comma-separated host:port', { default: '127.0.0.1:9092' }),
    kafkaSaslMechanism: oneOf('KAFKA_SASL_MECHANISM', 'How the service authenticates to Kafka: none (a PLAINTEXT listener) or a SASL mechanism; its principal is User:<KAFKA_SASL_USERNAME>, and the broker\'s ACLs say which topics and groups it may use (docs/architecture.md, "Authenticated bus")', ['none', ...saslMechanisms], { default: 'none' }),
    kafkaSaslUsername: optionalText('KAFKA_SASL_USERNAME', 'SASL user name; required with a KAFKA_SASL_MECHANISM'),
    kafkaSaslPassword: optionalText('KAFKA_SASL_PASSWORD', 'SASL password; required with a KAFKA_SASL_MECHANISM'),
    kafkaTls: flag('KAFKA_TLS', 'Connect to Kafka over TLS (an SSL or SASL_SSL listener), checking the broker\'s certificate against KAFKA_TLS_CA_FILE or, without it, the system\'s trusted roots', { default: false }),
    kafkaTlsCaFile: optionalText('KAFKA_TLS_CA_FILE', 'PEM file of the CA that signed the broker\'s certificate (the local stack\'s is .stack/kafka/tls/ca.crt); setting it turns KAFKA_TLS on'),
    schemaRegistryUrl: url('SCHEMA_REGISTRY_URL', 'Base URL of a Confluent-compatible schema registry API', ['http:', 'https:'], { default: 'http://127.0.0.1:8081/apis/ccompat/v7' }),
    schemaRegistryUsername: optionalText('SCHEMA_REGISTRY_USERNAME', 'User for HTTP basic authentication to the schema registry (none when empty)'),
    schemaRegistryPassword: optionalText('SCHEMA_REGISTRY_PASSWORD', 'Password for HTTP basic authentication to the schema registry'),
    schemaRegistryTimeoutMs: integer('SCHEMA_REGISTRY_TIMEOUT_MS', 'Longest one schema registry request may take before it fails; registering a schema tries such a request again, up to 5 times', { default: 10_000, min: 100 }),
    redisUrl: url('REDIS_URL', 'Redis for shared per-key state; redis://user:password@host:port authenticates (ACL user, or only :password@ for requirepass)', ['redis:', 'rediss:'], { default: 'redis://127.0.0.1:6379' }),
    httpHost: text('HTTP_HOST', 'Interface the HTTP port binds to (0.0.0.0 in containers)', { default: '127.0.0.1' }),
    httpPort: integer('HTTP_PORT', 'HTTP port for the API (gateway), /healthz, /readyz and /metrics; 0 picks a free port', { default: defaultPort, min: 0, max: 65535 }),
    topicPrefix: optionalText('MAESTRO_TOPIC_PREFIX', 'Prepended to every topic name and consumer group, so deployments can share a cluster', /^[A-Za-z0-9._-]+$/),
    redisKeyPrefix: text('MAESTRO_REDIS_PREFIX', 'Prepended to every Redis key', { default: 'maestro:', pattern: /^[A-Za-z0-9:._-]+$/ }),
    replicaId: text('MAESTRO_REPLICA_ID', 'Unique id of this process among the service\'s replicas', { default: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`, pattern: /^[A-Za-z0-9._-]+$/ }),
    logLevel: oneOf('LOG_LEVEL', 'pino log level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
    kafkaSessionTimeoutMs: integer('KAFKA_SESSION_TIMEOUT_MS', 'How long a silent consumer keeps its partitions before the group moves them (after a crash)', { default: 30_000, min: 6_000 }),
    consumerStallAfterMs: integer('CONSUMER_STALL_AFTER_MS', 'How long a consumer may retry the same records (a transient failure that does not pass) before /readyz answers 503 naming the partition and maestro_consumer_stalled is 1', { default: 30_000, min: 100 }),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 'Longest a graceful shutdown may take before the process exits anyway', { default: 10_000, min: 100 }),
  } satisfies ConfigSpec;
}

export type BaseConfigSpec = ReturnType<typeof baseConfigSpec>;

/**
 * The Kafka credentials the config names, or undefined for an unauthenticated client. A mechanism
 * without a user or password is a config error, not an anonymous connection the broker refuses later.
 */
export function kafkaCredentials(config: Pick<ConfigOf<BaseConfigSpec>, 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword'>): KafkaCredentials | undefined {
  const { kafkaSaslMechanism: mechanism, kafkaSaslUsername: username, kafkaSaslPassword: password } = config;
  if (mechanism === 'none') return undefined;
  if (!username) throw new ConfigError('KAFKA_SASL_USERNAME', `is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  if (!password) throw new ConfigError('KAFKA_SASL_PASSWORD', `is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  return { mechanism, username, password };
}

/**
 * TLS to the broker as the config asks for it, or undefined for plain TCP. The CA file is read here,
 * at start, so a wrong path stops the service with the variable's name instead of every connection
 * failing later with a certificate error.
 */
export function kafkaTls(config: Pick<ConfigOf<BaseConfigSpec>, 'kafkaTls' | 'kafkaTlsCaFile'>): KafkaTls | undefined {
  if (!config.kafkaTlsCaFile) return config.kafkaTls ? {} : undefined;
  let ca: string;
  try {
    ca = readFileSync(config.kafkaTlsCaFile, 'utf8');
  } catch (error) {
    throw new ConfigError('KAFKA_TLS_CA_FILE', `cannot read ${config.kafkaTlsCaFile}: ${(error as Error).message}`);
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('KAFKA_TLS_CA_FILE', `${config.kafkaTlsCaFile} holds no PEM certificate`);
  return { ca };
}

/** Basic authentication for the schema registry client, when a user is configured. */
export function registryAuth(config: Pick<ConfigOf<BaseConfigSpec>, 'schemaRegistryUsername' | 'schemaRegistryPassword'>): { username: string; password: string } | undefined {
  return config.schemaRegistryUsername ? { username: config.schemaRegistryUsername, password: config.schemaRegistryPassword } : undefined;
}
