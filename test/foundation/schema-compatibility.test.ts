import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { avroSchemas, topics } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('compat');
let bus: TestBus;
const subject = `${prefix}telemetry.raw-value`;
const current = avroSchemas['maestro.telemetry.HealthSignal'] as { fields: { name: string; type: unknown; default?: unknown }[] };

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
});
afterAll(async () => {
  await bus?.close();
});

function variant(fields: { name: string; type: unknown; default?: unknown }[]) {
  return { type: SchemaType.AVRO as const, schema: JSON.stringify({ ...current, fields }) };
}

describe('schema evolution under BACKWARD compatibility', () => {
  it('accepts a new field with a default', async () => {
    const evolved = variant([...current.fields, { name: 'firmware', type: ['null', 'string'], default: null }]);
    const { id } = await bus.registry.register(evolved, { subject });
    expect(id).toBeGreaterThan(0);
  });

  it('refuses a new required field without a default', async () => {
    const breaking = variant([...current.fields, { name: 'owner', type: 'string' }]);
    await expect(bus.registry.register(breaking, { subject })).rejects.toThrow(/incompatib|409|conflict/i);
  });

  it('refuses a changed field type', async () => {
    const breaking = variant(current.fields.map((f) => (f.name === 'timestampMs' ? { ...f, type: 'string' } : f)));
    await expect(bus.registry.register(breaking, { subject })).rejects.toThrow(/incompatib|409|conflict/i);
  });
});
