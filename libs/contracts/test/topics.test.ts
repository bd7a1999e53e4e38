import { describe, expect, it } from 'vitest';
import { allTopics, avroSchemas, deadLetterSchema } from '../src';

describe('the topic catalog', () => {
  it('names each topic once, and every value schema exists', () => {
    const names = allTopics.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of allTopics) expect(Object.keys(avroSchemas)).toContain(t.valueSchema);
  });

  it('uses every Avro schema (directly or as the dead-letter record)', () => {
    const used = new Set([...allTopics.map((t) => t.valueSchema), deadLetterSchema]);
    expect(Object.keys(avroSchemas).filter((name) => !used.has(name as never))).toEqual([]);
  });

  it('keeps compacted topics forever and bounds the retention of the others', () => {
    for (const t of allTopics) {
      if (t.cleanupPolicy === 'compact') expect({ topic: t.name, retentionMs: t.retentionMs }).toEqual({ topic: t.name, retentionMs: -1 });
      else expect(t.retentionMs).toBeGreaterThan(0);
      expect(t.partitions).toBeGreaterThan(0);
    }
  });

  it('documents every field of every schema, and gives optional fields a default', () => {
    const problems: string[] = [];
    const visit = (schema: unknown, where: string) => {
      if (typeof schema !== 'object' || schema === null) return;
      const s = schema as { type?: unknown; fields?: { name: string; type: unknown; doc?: string; default?: unknown }[]; items?: unknown };
      if (s.type === 'record') {
        for (const f of s.fields ?? []) {
          if (!f.doc) problems.push(`${where}.${f.name} has no doc`);
          if (Array.isArray(f.type) && f.type[0] === 'null' && !('default' in f)) problems.push(`${where}.${f.name} is optional without a default`);
          visit(Array.isArray(f.type) ? f.type.find((x) => typeof x === 'object') : f.type, `${where}.${f.name}`);
        }
      }
      if (s.type === 'array') visit(s.items, where);
    };
    for (const [name, schema] of Object.entries(avroSchemas)) visit(schema, name);
    expect(problems).toEqual([]);
  });
});
