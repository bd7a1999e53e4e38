import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusError, checkAvroBounds, decodeBounded, defaultDecodeLimits } from '../src';

/** Every schema in schemas/avro, read from the files so that a new schema is covered without a change here. */
const schemaDir = resolve(import.meta.dirname, '../../../schemas/avro');
const schemas = readdirSync(schemaDir).filter((f) => f.endsWith('.avsc')).sort().map((file) => ({
  file, type: avro.Type.forSchema(JSON.parse(readFileSync(resolve(schemaDir, file), 'utf8')) as avro.Schema),
}));

/** avsc's Type with the members its concrete classes expose. */
interface AnyType {
  typeName: string;
  fields?: { name: string; type: AnyType }[];
  itemsType?: AnyType;
  valuesType?: AnyType;
  types?: AnyType[];
  symbols?: string[];
  size?: number;
}

function zigzag(n: number): Buffer {
  // Avro's zig-zag varint, in floating point so counts beyond 2^31 encode too.
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 128) {
    out.push((z % 128) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}

/** The fewest bytes a valid value of the type takes: zeros, empty strings and collections, a union's first branch. */
function minimal(type: AnyType): Buffer {
  switch (type.typeName) {
    case 'null': return Buffer.alloc(0);
    case 'float': return Buffer.alloc(4);
    case 'double': return Buffer.alloc(8);
    case 'fixed': return Buffer.alloc(type.size ?? 0);
    case 'record': return Buffer.concat(type.fields!.map((f) => minimal(f.type)));
    case 'union:unwrapped': case 'union:wrapped': return Buffer.concat([zigzag(0), minimal(type.types![0]!)]);
    default: return zigzag(0); // boolean false, int/long 0, enum's first symbol, empty string, bytes, array, map
  }
}

/** A place in a schema where bytes claim a size: the bytes before it, and what is claimed there. */
interface Site {
  path: string;
  kind: 'collection' | 'zero-byte collection' | 'length';
  before: Buffer;
}

/** Every array, map, string and bytes reachable in the schema, with a valid encoding of what precedes it. */
function sitesOf(type: AnyType, before: Buffer, path: string, depth = 0): Site[] {
  if (depth > 10) return [];
  switch (type.typeName) {
    case 'string': case 'bytes': return [{ path, kind: 'length', before }];
    case 'record': {
      const out: Site[] = [];
      let prefix = before;
      for (const field of type.fields!) {
        out.push(...sitesOf(field.type, prefix, `${path}.${field.name}`, depth + 1));
        prefix = Buffer.concat([prefix, minimal(field.type)]);
      }
      return out;
    }
    case 'array': {
      const zeroBytes = minimal(type.itemsType!).length === 0;
      return [
        { path: `${path}[]`, kind: zeroBytes ? 'zero-byte collection' : 'collection', before },
        ...sitesOf(type.itemsType!, Buffer.concat([before, zigzag(1)]), `${path}[0]`, depth + 1),
      ];
    }
    case 'map': return [
      { path: `${path}{}`, kind: 'collection', before },
      { path: `${path}{key}`, kind: 'length', before: Buffer.concat([before, zigzag(1)]) },
      ...sitesOf(type.valuesType!, Buffer.concat([before, zigzag(1), zigzag(0)]), `${path}{''}`, depth + 1),
    ];
    case 'union:unwrapped': case 'union:wrapped':
      return type.types!.flatMap((branch, i) => sitesOf(branch, Buffer.concat([before, zigzag(i)]), `${path}|${branch.typeName}`, depth + 1));
    default: return [];
  }
}

/** Values of any Avro type, built from the schema itself. */
function arbitraryOf(type: AnyType, depth = 0): fc.Arbitrary<unknown> {
  switch (type.typeName) {
    case 'null': return fc.constant(null);
    case 'boolean': return fc.boolean();
    case 'int': return fc.integer();
    case 'long': return fc.integer({ min: -(2 ** 52), max: 2 ** 52 }); // avsc's long stays within safe integers
    case 'float': return fc.float({ noNaN: true });
    case 'double': return fc.double({ noNaN: true });
    case 'string': return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'bytes': return fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b));
    case 'fixed': return fc.uint8Array({ minLength: type.size!, maxLength: type.size! }).map((b) => Buffer.from(b));
    case 'enum': return fc.constantFrom(...type.symbols!);
    case 'array': return fc.array(arbitraryOf(type.itemsType!, depth + 1), { maxLength: depth > 3 ? 0 : 4 });
    case 'map': return fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), arbitraryOf(type.valuesType!, depth + 1), { maxKeys: depth > 3 ? 0 : 4 });
    case 'union:unwrapped': return fc.oneof(...type.types!.map((t) => arbitraryOf(t, depth + 1)));
    case 'record': return fc.record(Object.fromEntries(type.fields!.map((f) => [f.name, arbitraryOf(f.type, depth + 1)])));
    default: throw new Error(`no arbitrary for ${type.typeName}`);
  }
}

function decodeFailure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BusError) return error.code;
    return `not a BusError: ${String(error)}`;
  }
  return 'decoded';
}

describe('bounded decoding', () => {
  it('finds the schemas and a size-claiming site in each', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(15);
    for (const { file, type } of schemas) expect({ file, sites: sitesOf(type as unknown as AnyType, Buffer.alloc(0), '').length > 0 }).toEqual({ file, sites: true });
  });

  describe.each(schemas)('$file', ({ type }) => {
    const sites = sitesOf(type as unknown as AnyType, Buffer.alloc(0), '');

    it('refuses, as DECODE_FAILED, every count or length the remaining bytes cannot hold (a 30-byte record claiming 10⁹ entries)', () => {
      fc.assert(fc.property(
        fc.constantFrom(...sites),
        fc.oneof(fc.constant(1e9), fc.integer({ min: defaultDecodeLimits.maxZeroByteItems + 1, max: 2 ** 31 }), fc.integer({ min: 2 ** 31, max: 2 ** 52 })),
        fc.boolean(),
        fc.uint8Array({ maxLength: 64 }),
        (site, claimed, negativeBlock, tail) => {
          // A negative count is the block form that also states its size in bytes (Avro spec, "Arrays").
          const claim = site.kind === 'length' || !negativeBlock ? zigzag(claimed) : Buffer.concat([zigzag(-claimed), zigzag(tail.length)]);
          const body = Buffer.concat([site.before, claim, tail]);
          expect(decodeFailure(() => decodeBounded({ reader: type, writer: type }, body, 0)), site.path).toBe('DECODE_FAILED');
        },
      ), { numRuns: 300 });
    });

    it('decodes every valid record exactly as avsc does', () => {
      fc.assert(fc.property(arbitraryOf(type as unknown as AnyType), (value) => {
        const body = type.toBuffer(value);
        expect(checkAvroBounds(type, body, 0)).toBe(body.length);
        expect(decodeBounded({ reader: type, writer: type }, body, 0)).toEqual(type.fromBuffer(body));
      }), { numRuns: 200 });
    });

    it('answers a decoded value or DECODE_FAILED, nothing else, for a valid record with bytes changed', () => {
      fc.assert(fc.property(arbitraryOf(type as unknown as AnyType), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (value, edits) => {
        const body = Buffer.from(type.toBuffer(value));
        for (const [at, byte] of edits) body[at % body.length] = byte;
        expect(['decoded', 'DECODE_FAILED']).toContain(decodeFailure(() => decodeBounded({ reader: type, writer: type }, body, 0)));
      }), { numRuns: 200 });
    });
  });

  it('reads through a resolver when the writer schema is older than the reader', () => {
    const writer = avro.Type.forSchema({ type: 'record', name: 'S', fields: [{ name: 'metrics', type: { type: 'map', values: 'double' } }] });
    const reader = avro.Type.forSchema({ type: 'record', name: 'S', fields: [{ name: 'metrics', type: { type: 'map', values: 'double' } }, { name: 'tenant', type: ['null', 'string'], default: null }] });
    const resolver = reader.createResolver(writer);
    expect(decodeBounded({ reader, writer, resolver }, writer.toBuffer({ metrics: { cpu: 0.5 } }), 0)).toEqual({ metrics: { cpu: 0.5 }, tenant: null });
    // The bomb is judged by the writer's layout, which is how the bytes were written.
    expect(decodeFailure(() => decodeBounded({ reader, writer, resolver }, Buffer.concat([zigzag(1e9), Buffer.alloc(20)]), 0))).toBe('DECODE_FAILED');
  });

  it.each([
    ['nesting deeper than the limit', { maxDepth: 2 }, { type: 'record', name: 'A', fields: [{ name: 'b', type: { type: 'record', name: 'B', fields: [{ name: 'c', type: { type: 'array', items: 'int' } }] } }] }, { b: { c: [1] } }, /nesting deeper than 2/],
    ['more items than the collection limit', { maxCollectionItems: 3 }, { type: 'array', items: 'int' }, [1, 2, 3, 4], /4 items, over the limit of 3/],
    ['more zero-byte items than their limit', { maxZeroByteItems: 2 }, { type: 'array', items: 'null' }, [null, null, null], /3 items, over the limit of 2 for items that take no bytes/],
    ['a string longer than the limit', { maxStringBytes: 4 }, 'string', 'hello', /string of 5 bytes exceeds the limit of 4/],
  ])('refuses %s, saying which limit', (_, limits, schema, value, message) => {
    const type = avro.Type.forSchema(schema as avro.Schema);
    const body = type.toBuffer(value);
    expect(() => checkAvroBounds(type, body, 0, { ...defaultDecodeLimits, ...limits })).toThrow(message);
    expect(checkAvroBounds(type, body, 0)).toBe(body.length);
  });

  it('names the field whose count is impossible', () => {
    const sample = schemas.find((s) => s.file === 'telemetry-sample.avsc')!.type;
    const bomb = Buffer.concat([zigzag(1), Buffer.from('a'), zigzag(0), zigzag(0), zigzag(1e9), Buffer.alloc(8)]);
    expect(() => checkAvroBounds(sample, bomb, 0)).toThrow(/^metrics: map block claims 1000000000 items/);
  });
});
