import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { pino, type Logger as PinoLogger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { topics, type AuditRecord, type TopicSpec } from '@maestro/contracts';
import {
  createBatchConsumer, createBusMetrics, createKafkaClient, createProducer, createRegistryClient, ensureTopics, formatTraceparent, registerCodecs,
  type BatchConsumer, type BusMetrics, type BusProducer, type Codecs, type OutboundRecord, type ProducerFailure, type Subscription, type TraceContext,
} from '@maestro/bus';
import { createKeyspace, createRedis, type Keyspace, type Redis } from '@maestro/state';
import { type ConfigOf, type ConfigSpec, type Env, loadConfig } from './config';
import { baseConfigSpec, kafkaCredentials, kafkaTls, registryAuth, type BaseConfigSpec } from './base-config';
import { createHttpServer } from './http-server';
import { createLifecycle, type Lifecycle } from './lifecycle';
import { createReadiness, type Readiness } from './readiness';

export type ServiceConfig<S extends ConfigSpec> = ConfigOf<BaseConfigSpec> & ConfigOf<S>;

/** What an audit record says; the runtime fills in id, service and time. */
export interface AuditEntry {
  kind: string;
  outcome: string;
  subjectId: string;
  reasons: string[];
  details?: unknown;
  trace?: TraceContext | null;
}

/** Everything a service's wiring needs, created and torn down by the runtime. */
export interface ServiceContext<S extends ConfigSpec> {
  name: string;
  config: ServiceConfig<S>;
  logger: PinoLogger;
  kafka: Kafka;
  /** The schema registry's client, with the configured authentication: for codecs beyond the service's own topics'. */
  registry: SchemaRegistry;
  codecs: Codecs;
  producer: BusProducer;
  redis: Redis;
  keys: Keyspace;
  http: FastifyInstance;
  metrics: Registry;
  busMetrics: BusMetrics;
  readiness: Readiness;
  lifecycle: Lifecycle;
  now(): number;
  /** A consumer in the group `<prefix><service>[.<suffix>]`, started with the service and stopped first on shutdown. */
  /**
   * `commitOffsets: false` leaves the group's offsets to the handler (ingest commits them inside its
   * Kafka transactions): a commit of the consumer's own, racing the transaction's, can move the group
   * back behind a batch the transaction already published.
   */
  consumer(subscriptions: Subscription[], options?: { groupSuffix?: string; partitionsConsumedConcurrently?: number; commitOffsets?: boolean }): BatchConsumer;
  /** An audit record ready to produce, so it can go out in the same send as the decision it explains. */
  audit(entry: AuditEntry): OutboundRecord<AuditRecord>;
}

export interface ServiceDefinition<S extends ConfigSpec> {
  name: string;
  defaultPort: number;
  /** Variables of this service beyond the base ones. */
  config: S;
  /** Topics this service produces or consumes: created if missing and their schemas registered. */
  topics: readonly TopicSpec[];
  /** Wires consumers, routes and state; runs after infrastructure is connected, before consumers start. */
  setup(ctx: ServiceContext<S>): Promise<void> | void;
}

export interface RunningService<S extends ConfigSpec> {
  ctx: ServiceContext<S>;
  /** Where HTTP listens, e.g. http://127.0.0.1:9105. */
  url: string;
  shutdown(reason: string): Promise<boolean>;
}

/**
 * Starts a service: config, logger, Kafka, registry, Redis, HTTP, then the service's own wiring and
 * its consumers. Returns once every consumer has joined its group, without saying "ready": its
 * caller does, once it can stop the service ({@link startService}). Throws on a config error (a
 * ConfigError names the variable) or when the infrastructure cannot be reached.
 */
export async function runService<S extends ConfigSpec>(def: ServiceDefinition<S>, env: Env = process.env): Promise<RunningService<S>> {
  // One load for both specs, so that every bad variable is reported at once.
  const config = loadConfig({ ...baseConfigSpec(def.defaultPort), ...def.config }, env) as unknown as ServiceConfig<S>;
  const logger = pino({ level: config.logLevel, base: { service: def.name, replica: config.replicaId } });
  const lifecycle = createLifecycle(logger, config.shutdownGraceMs);
  const readiness = createReadiness();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const busMetrics = createBusMetrics(metrics);

  const credentials = kafkaCredentials(config);
  const tls = kafkaTls(config);
  const kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: `maestro-${def.name}`, logger, ...(credentials ? { credentials } : {}), ...(tls ? { tls } : {}) });
  const auth = registryAuth(config);
  const registry = createRegistryClient({ url: config.schemaRegistryUrl, ...(auth ? { auth } : {}), requestTimeoutMs: config.schemaRegistryTimeoutMs });
  const redis = createRedis({ url: config.redisUrl, connectionName: `maestro-${def.name}-${config.replicaId}` });
  const http = createHttpServer({ logger, lifecycle, readiness, metrics });
  const consumers: BatchConsumer[] = [];

  // Registered first so it runs last: nothing may outlive the connections it needs.
  lifecycle.onStop('redis', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  lifecycle.onStop('http', () => http.close());

  await redis.connect();
  const admin = kafka.admin();
  await admin.connect();
  lifecycle.onStop('kafka admin', () => admin.disconnect());
  const specs = [...new Set([...def.topics, topics.audit])];
  const created = await ensureTopics({ kafka, specs, topicPrefix: config.topicPrefix });
  if (created.length) logger.info({ created }, 'topics created');
  const codecs = await registerCodecs({ registry, specs, topicPrefix: config.topicPrefix });
  const producer = createProducer(kafka, codecs, busMetrics);
  await producer.connect();
  lifecycle.onStop('producer', () => producer.disconnect());

  readiness.add('kafka', async () => {
    await admin.describeCluster();
  });
  readiness.add('registry', async () => {
    const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
    const response = await fetch(`${config.schemaRegistryUrl}/subjects`, { headers, signal: AbortSignal.timeout(1_500) });
    if (!response.ok) throw new Error(`registry answered ${response.status}`);
  });
  readiness.add('redis', async () => {
    await redis.ping();
  });
  readiness.add('kafka producer', () => assertProducerHealthy(producer.failing(), config.consumerStallAfterMs));

  const ctx: ServiceContext<S> = {
    name: def.name, config, logger, kafka, registry, codecs, producer, redis, keys: createKeyspace(config.redisKeyPrefix),
    http, metrics, busMetrics, readiness, lifecycle,
    now: Date.now,
    consumer(subscriptions, options = {}) {
      const groupId = `${config.topicPrefix}${def.name}${options.groupSuffix ? `.${options.groupSuffix}` : ''}`;
      const consumer = createBatchConsumer({
        kafka, codecs, producer, groupId, subscriptions, logger, metrics: busMetrics, sessionTimeoutMs: config.kafkaSessionTimeoutMs,
        stallAfterMs: config.consumerStallAfterMs,
        ...(options.partitionsConsumedConcurrently ? { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently } : {}),
        ...(options.commitOffsets === false ? { commitOffsets: false } : {}),
      });
      consumers.push(consumer);
      readiness.add(`group ${groupId}`, () => {
        if (!consumer.joined()) throw new Error('not a member of its consumer group');
        assertNotStalled(consumer);
      });
      return consumer;
    },
    audit(entry) {
      return {
        key: entry.subjectId,
        trace: entry.trace ?? null,
        value: {
          auditId: randomUUID(), service: def.name, kind: entry.kind, outcome: entry.outcome, subjectId: entry.subjectId,
          reasons: entry.reasons, detailsJson: JSON.stringify(entry.details ?? {}),
          traceparent: entry.trace ? formatTraceparent(entry.trace) : null, atMs: Date.now(),
        },
      };
    },
  };

  await def.setup(ctx);
  // Consumers stop first (registered last): finish the batch, commit, then flush and disconnect.
  lifecycle.onStop('consumers', async () => {
    await Promise.all(consumers.map((c) => c.stop()));
  });
  await http.listen({ host: config.httpHost, port: config.httpPort });
  await Promise.all(consumers.map((c) => c.start()));
  lifecycle.markRunning();
  const { port } = http.server.address() as AddressInfo;
  const url = `http://${config.httpHost}:${port}`;
  return { ctx, url, shutdown: (reason) => lifecycle.shutdown(reason) };
}

/**
 * Fails a readiness check while a consumer retries the same records past CONSUMER_STALL_AFTER_MS:
 * a service that no longer moves must not be reported ready. Names each stuck partition and its error.
 */
export function assertNotStalled(consumer: Pick<BatchConsumer, 'stalled'>, now: number = Date.now()): void {
  const stalls = consumer.stalled();
  if (stalls.length === 0) return;
  throw new Error(stalls.map((s) => `${s.topic} partition ${s.partition} stalled at offset ${s.offset} for ${now - s.sinceMs} ms (${s.attempts} attempts): ${s.error}`).join('; '));
}

/**
 * Fails a readiness check while every send has failed for CONSUMER_STALL_AFTER_MS and sends are still
 * being tried: the broker may answer describeCluster while refusing this producer's records (the
 * chaos run's gateway failed every send for two minutes so). A run of failures that stopped being
 * tried says nothing any more: a service taken out of rotation must not stay out for want of traffic.
 */
export function assertProducerHealthy(failure: ProducerFailure | null, boundMs: number, now: number = Date.now()): void {
  if (!failure || failure.lastMs - failure.sinceMs < boundMs || now - failure.lastMs >= boundMs) return;
  throw new Error(`every send has failed for ${failure.lastMs - failure.sinceMs} ms, the last ${now - failure.lastMs} ms ago: ${failure.error}`);
}

/** Declares a service; the identity, there to infer the config type from the spec. */
export function defineService<S extends ConfigSpec>(def: ServiceDefinition<S>): ServiceDefinition<S> {
  return def;
}

/**
 * The whole of a service's main.ts: run it, say "ready", stop gracefully on SIGTERM or SIGINT, and
 * exit non-zero on a config error, a failed start, or a shutdown that overran its grace time.
 */
export function startService<S extends ConfigSpec>(def: ServiceDefinition<S>): void {
  runService(def)
    .then((service) => {
      const stop = (signal: string) => {
        void service.shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      // Only now: a supervisor (or a test) may signal the process the moment it reads this line, and a
      // signal that came before the handlers would end it on the spot, its consumers still members of
      // their groups until the session timeout.
      service.ctx.logger.info({ url: service.url, topicPrefix: service.ctx.config.topicPrefix }, 'ready');
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${def.name}: failed to start: ${message}\n`);
      process.exit(1);
    });
}
