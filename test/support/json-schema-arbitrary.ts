/**
 * fast-check arbitraries generated from the published JSON Schemas (schemas/maestro/v1): values
 * that the schema accepts, for property tests and fuzzing. Covers the draft-07 keywords those
 * schemas use — $ref (to a document by file name, or within the current one), allOf, enum, type,
 * properties/required, items, min/max length, items, and bounds, pattern — and caps array lengths
 * so that a generated goal stays small.
 */
import fc from 'fast-check';

type Schema = Readonly<Record<string, unknown>>;

export interface SchemaSet {
  /** Documents by their file name, e.g. `defs.json`. */
  readonly documents: Readonly<Record<string, Schema>>;
  /** The longest array generated, whatever `maxItems` allows. @default 4 */
  readonly maxArrayLength?: number;
}

function resolve(ref: string, current: string, set: SchemaSet): { schema: Schema; document: string } {
  const [file, pointer = ''] = ref.split('#');
  const document = file ? file : current;
  let node: unknown = set.documents[document];
  if (node === undefined) throw new Error(`no schema document '${document}' for $ref '${ref}'`);
  for (const part of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'object' || node === null) throw new Error(`$ref '${ref}' resolves to nothing`);
  return { schema: node as Schema, document };
}

/** Values `schema` (in `document`, one of the set) accepts. */
export function arbitraryOf(schema: Schema, document: string, set: SchemaSet): fc.Arbitrary<unknown> {
  const cap = set.maxArrayLength ?? 4;
  if (typeof schema.$ref === 'string') {
    const target = resolve(schema.$ref, document, set);
    return arbitraryOf(target.schema, target.document, set);
  }
  if (Array.isArray(schema.allOf)) {
    // The published schemas use allOf only to attach a description to one $ref.
    const [only] = schema.allOf as Schema[];
    return arbitraryOf(only ?? {}, document, set);
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const num = (key: string): number | undefined => (typeof schema[key] === 'number' ? schema[key] : undefined);
  switch (schema.type) {
    case 'string': {
      const minLength = num('minLength') ?? 0;
      const maxLength = num('maxLength') ?? 40;
      if (typeof schema.pattern === 'string') {
        return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= maxLength);
      }
      return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) });
    }
    case 'integer':
      return fc.integer({ min: num('minimum') ?? -1_000_000, max: num('maximum') ?? 1_000_000 });
    case 'number': {
      const min = num('minimum') ?? num('exclusiveMinimum') ?? -1e9;
      const max = num('maximum') ?? 1e9;
      const value = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return schema.exclusiveMinimum === undefined ? value : value.filter((v) => v > (schema.exclusiveMinimum as number));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = arbitraryOf((schema.items as Schema | undefined) ?? {}, document, set);
      const minLength = num('minItems') ?? 0;
      const maxLength = Math.max(minLength, Math.min(num('maxItems') ?? cap, cap));
      return schema.uniqueItems === true
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object': {
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, arbitraryOf(s, document, set)]));
      return fc.record(model, { requiredKeys: ((schema.required as string[] | undefined) ?? []).filter((k) => k in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
