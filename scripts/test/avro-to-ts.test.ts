import { describe, expect, it } from 'vitest';
import { avroToTypeScript } from '../contracts/avro-to-ts';

describe('Avro to TypeScript', () => {
  it('emits records, nested records, enums, arrays, maps and null unions, with docs and defaults', () => {
    const out = avroToTypeScript([{
      type: 'record', name: 'Order', namespace: 'shop', doc: 'An order.',
      fields: [
        { name: 'id', type: 'string', doc: 'Id.' },
        { name: 'total', type: 'double' },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['open', 'paid'] } },
        { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
        { name: 'tags', type: { type: 'map', values: 'string' }, default: {} },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'raw', type: 'bytes' },
        { name: 'next', type: ['null', 'Line'], default: null },
      ],
    }]);
    expect(out).toContain('/** An order. */\nexport interface Order {');
    expect(out).toContain('  /** Id. */\n  id: string;');
    expect(out).toContain("export type Status = (typeof statusSymbols)[number];\nexport const statusSymbols = ['open', 'paid'] as const;");
    expect(out).toContain('  lines: Array<Line>;');
    expect(out).toContain('export interface Line {\n  sku: string;\n  qty: number;\n}');
    expect(out).toContain('  /** @default {} */\n  tags: Record<string, string>;');
    expect(out).toContain('  note: null | string;');
    expect(out).toContain('  raw: Buffer;');
    expect(out).toContain('  next: null | Line;');
    expect(out).toContain("export interface SchemaTypes {\n  'shop.Order': Order;\n}");
  });

  it('refuses two types that would share a TypeScript name', () => {
    expect(() => avroToTypeScript([
      { type: 'record', name: 'A', namespace: 'x', fields: [{ name: 'e', type: { type: 'enum', name: 'Kind', symbols: ['a'] } }] },
      { type: 'record', name: 'B', namespace: 'y', fields: [{ name: 'e', type: { type: 'enum', name: 'Kind', symbols: ['b'] } }] },
    ])).toThrow(/share the short name Kind/);
  });

  it('refuses a reference to an unknown type', () => {
    expect(() => avroToTypeScript([{ type: 'record', name: 'A', fields: [{ name: 'x', type: 'Missing' }] }])).toThrow(/unknown Avro type reference: Missing/);
  });
});
