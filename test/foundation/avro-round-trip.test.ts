import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import { createBatchConsumer, silentLogger, subscription, unframe, type BatchConsumer, type InboundRecord } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('avro');
let bus: TestBus;
let consumer: BatchConsumer;
const received: InboundRecord<HealthSignal>[] = [];

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  consumer = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}reader`, logger: silentLogger,
    subscriptions: [subscription(topics.telemetryRaw, async (records) => { received.push(...records); }, { fromBeginning: true })],
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
});

describe('Avro through Kafka via the registry', () => {
  it('decodes exactly what was produced, framed in the Confluent wire format under the topic subject', async () => {
    const signal: HealthSignal = {
      assetId: 'api-eu-1', timestampMs: 1_795_000_000_123, metrics: { latency_ms: 41.5, error_rate: 0.002 },
      region: 'eu-west-1', provider: null, labels: { team: 'payments', tier: 'gold' }, tenant: 'payments', receivedAtMs: 1_795_000_000_200,
    };
    await bus.producer.send(topics.telemetryRaw, [{ key: signal.assetId, value: signal }]);

    const [record] = await eventually(() => received.length > 0 && received, 30_000, 'the record to come back');
    expect(record!.key).toBe('api-eu-1');
    expect(record!.value).toEqual(signal);
    expect(record!.trace?.traceId).toMatch(/^[0-9a-f]{32}$/);

    const raw = await bus.readAll(`${prefix}telemetry.raw`);
    const { schemaId } = unframe(raw[0]!.value);
    const latest = await bus.registry.getLatestSchemaId(`${prefix}telemetry.raw-value`);
    expect(schemaId).toBe(latest);
  });

  it('refuses to produce a value that does not fit the schema, naming the field', () => {
    const bad = { assetId: 'x', timestampMs: 'yesterday', metrics: {}, region: null, provider: null, labels: {} } as unknown as HealthSignal;
    expect(() => bus.codecs.encode(topics.telemetryRaw, bad)).toThrow(/timestampMs/);
  });
});
