import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { avroSchemas, topics } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('result-schema');
let bus: TestBus;

/** healing-result.avsc as it was before the executor existed: what older producers and subjects hold. */
const before = {
  type: 'record', name: 'HealingResult', namespace: 'maestro.healing',
  fields: [
    { name: 'actionId', type: 'string' },
    { name: 'assetId', type: 'string' },
    { name: 'status', type: { type: 'enum', name: 'HealingStatus', symbols: ['succeeded', 'failed'] } },
    { name: 'detail', type: 'string', default: '' },
    { name: 'finishedAtMs', type: 'long' },
  ],
};
const now = avroSchemas['maestro.healing.HealingResult'] as typeof before;
const avroOf = (schema: object) => ({ type: SchemaType.AVRO as const, schema: JSON.stringify(schema) });

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.healingResults]);
});
afterAll(async () => {
  await bus?.close();
});

describe('healing-result.avsc evolves BACKWARD', () => {
  it('the registry accepts today\'s schema over the one before the executor', async () => {
    const subject = `${prefix}legacy-results-value`;
    await bus.registry.register(avroOf(before), { subject });
    const { id } = await bus.registry.register(avroOf(now), { subject });
    expect(id).toBeGreaterThan(0);
    // The rule is live: a required field without a default is refused on the same subject.
    const broken = { ...now, fields: [...now.fields, { name: 'mandatory', type: 'string' }] };
    await expect(bus.registry.register(avroOf(broken), { subject })).rejects.toThrow();
  });

  it('a record written with the old schema reads with today\'s, every new field at its default', () => {
    const writer = avro.Type.forSchema(before as avro.Schema);
    const reader = avro.Type.forSchema(now as unknown as avro.Schema);
    const bytes = writer.toBuffer({ actionId: 'an-1#0', assetId: 'a', status: 'failed', detail: 'old executor', finishedAtMs: 5 });
    expect(reader.fromBuffer(bytes, reader.createResolver(writer))).toMatchObject({
      actionId: 'an-1#0', status: 'failed', detail: 'old executor', runner: '', durationMs: 0, attempts: 1, output: '', errorCode: '', error: '', tenant: null,
    });
  });
});
