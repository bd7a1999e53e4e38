/**
 * A schema registry that takes a request and never answers it (SCHEMA_REGISTRY_TIMEOUT_MS). Without a
 * bound the service waited for the answer forever, after "topics created" and before "ready"; with
 * it, one lost request costs one bound and a second try, and a registry that never answers ends the
 * start with an error that says so. A consumer's lookup of a writer's schema that gets no answer fails
 * its batch as REGISTRY_UNAVAILABLE (retryable): the batch is tried again, nothing is dead-lettered;
 * without the bound the partition waited on that lookup for good.
 */
import avro from 'avsc';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { createBatchConsumer, createRegistryClient, frame, registerCodecs, silentLogger, subscription, type BatchConsumer } from '@maestro/bus';
import { avroSchemas, topics, type HealthSignal } from '@maestro/contracts';
import { eventually, uniquePrefix } from '../support/environment';
import { startRegistryProxy, type RegistryProxy } from '../support/registry-proxy';
import { spawnService, startFailure, type SpawnedService } from '../support/services';
import { createTestBus, type TestBus } from '../support/test-bus';

const proxies: RegistryProxy[] = [];
const running: SpawnedService[] = [];
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  for (const close of closers.reverse()) await close();
  await Promise.all(proxies.map((p) => p.close()));
});

const registering = (method: string | undefined, url: string | undefined) => method === 'POST' && /\/subjects\/[^/]+\/versions$/.test(url ?? '');

describe('a schema registry that does not answer', () => {
  it('costs one bounded wait and a second try when it drops one registration', async () => {
    let dropped = false;
    const proxy = await startRegistryProxy((req) => {
      if (dropped || !registering(req.method, req.url)) return 'forward';
      dropped = true;
      return 'swallow';
    });
    proxies.push(proxy);
    const prefix = uniquePrefix('registry-drop');
    const service = await spawnService('ingest', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_TIMEOUT_MS: '1000' }, { timeoutMs: 60_000 });
    running.push(service);
    expect(proxy.seen.swallow).toHaveLength(1);
    // The dropped registration was made again, and answered.
    expect(proxy.seen.forward).toContain(proxy.seen.swallow[0]);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
  });

  it('ends the start with an error naming the schema it was registering and the bound when it never answers', async () => {
    const proxy = await startRegistryProxy(() => 'swallow');
    proxies.push(proxy);
    const prefix = uniquePrefix('registry-hang');
    const failure = await startFailure('ingest', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, SCHEMA_REGISTRY_URL: proxy.url, SCHEMA_REGISTRY_TIMEOUT_MS: '500' }, { timeoutMs: 60_000 });
    expect(failure).toMatch(/ingest exited .*before it was ready/s);
    expect(failure).toMatch(/registering maestro\.\S+ under subject \S+ failed: .*Timeout \(500ms\)/);
    // Five tries, each ended by the bound: the first request of each (the subject's compatibility rule) got no answer.
    expect(proxy.seen.swallow).toHaveLength(5);
  });

  it('retries, and neither loses nor dead-letters, a record whose writer schema lookup gets no answer', async () => {
    const prefix = uniquePrefix('registry-lookup');
    const bus: TestBus = await createTestBus(prefix, [topics.telemetryRaw]);
    closers.push(() => bus.close());
    // A producer a version ahead: one more optional field, so the record carries a schema id the
    // consumer has not registered and must look up.
    const current = avroSchemas['maestro.telemetry.HealthSignal'] as { fields: unknown[] };
    const evolved = { ...current, fields: [...current.fields, { name: 'firmware', type: ['null', 'string'], default: null }] };
    const { id } = await bus.registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(evolved) }, { subject: `${prefix}telemetry.raw-value` });
    const signal: HealthSignal = { assetId: 'lookup-1', timestampMs: 1_795_000_000_000, metrics: { latency_ms: 12 }, region: null, provider: null, labels: {}, tenant: null, receivedAtMs: null };
    await bus.producer.sendRaw(`${prefix}telemetry.raw`, [{ key: signal.assetId, value: frame(id, avro.Type.forSchema(evolved as avro.Schema).toBuffer({ ...signal, firmware: '1.2' })) }]);

    let dropped = false;
    const proxy = await startRegistryProxy((req) => {
      if (dropped || req.url?.endsWith(`/schemas/ids/${id}`) !== true) return 'forward';
      dropped = true;
      return 'swallow';
    });
    proxies.push(proxy);
    const codecs = await registerCodecs({ registry: createRegistryClient({ url: proxy.url, requestTimeoutMs: 500 }), specs: [topics.telemetryRaw], topicPrefix: prefix });
    const received: HealthSignal[] = [];
    const consumer: BatchConsumer = createBatchConsumer({
      kafka: bus.kafka, codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
      subscriptions: [subscription(topics.telemetryRaw, async (records) => { received.push(...records.map((r) => r.value)); }, { fromBeginning: true })],
    });
    closers.push(() => consumer.stop());
    await consumer.start();

    await eventually(() => received.length > 0, 60_000, 'the record after its schema lookup was retried');
    expect(received).toEqual([signal]);
    expect(proxy.seen.swallow).toEqual([`GET ${new URL(proxy.url).pathname}/schemas/ids/${id}`]);
    expect(proxy.seen.forward).toContain(proxy.seen.swallow[0]);
    expect(await bus.readAll(`${prefix}telemetry.raw.dlq`, 3_000)).toEqual([]);
  });
});
