/**
 * Avro → TypeScript declarations, for the subset of Avro the contracts use: records, enums, arrays,
 * maps, primitives, and unions with null. Types mirror what avsc decodes: long is a JS number (epoch
 * milliseconds and counters stay far below 2^53), bytes is a Buffer.
 */
export type AvroSchema =
  | string
  | AvroSchema[]
  | { type: 'record'; name: string; namespace?: string; doc?: string; fields: AvroField[] }
  | { type: 'enum'; name: string; namespace?: string; doc?: string; symbols: string[] }
  | { type: 'array'; items: AvroSchema }
  | { type: 'map'; values: AvroSchema }
  | { type: string; [k: string]: unknown };

export interface AvroField {
  name: string;
  type: AvroSchema;
  doc?: string;
  default?: unknown;
}

const primitives: Record<string, string> = {
  null: 'null', boolean: 'boolean', int: 'number', long: 'number', float: 'number', double: 'number',
  bytes: 'Buffer', string: 'string',
};

interface Named { full: string; decl: string }

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function shortName(full: string): string {
  return full.slice(full.lastIndexOf('.') + 1);
}

function docComment(doc: string | undefined, indent: string, defaultValue?: unknown): string {
  if (!doc && defaultValue === undefined) return '';
  const lines = [doc ?? ''];
  if (defaultValue !== undefined) lines.push(`@default ${JSON.stringify(defaultValue)}`);
  return `${indent}/** ${lines.filter(Boolean).join(' ')} */\n`;
}

/** Emits one declaration per named type (records and enums), nested ones included, plus a map from full name to type. */
export function avroToTypeScript(topLevel: AvroSchema[]): string {
  const named = new Map<string, Named>();

  function typeOf(schema: AvroSchema, namespace: string | undefined): string {
    if (typeof schema === 'string') {
      if (schema in primitives) return primitives[schema]!;
      const known = named.get(fullName(schema, namespace)) ?? named.get(schema);
      if (!known) throw new Error(`unknown Avro type reference: ${schema}`);
      return shortName(known.full);
    }
    if (Array.isArray(schema)) return schema.map((s) => typeOf(s, namespace)).join(' | ');
    switch (schema.type) {
      case 'record': {
        const s = schema as Extract<AvroSchema, { type: 'record' }>;
        const full = fullName(s.name, s.namespace ?? namespace);
        const ns = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : undefined;
        named.set(full, { full, decl: '' });
        const fields = s.fields
          .map((f) => `${docComment(f.doc, '  ', f.default)}  ${f.name}: ${typeOf(f.type, ns)};\n`)
          .join('');
        named.set(full, { full, decl: `${docComment(s.doc, '')}export interface ${shortName(full)} {\n${fields}}\n` });
        return shortName(full);
      }
      case 'enum': {
        const s = schema as Extract<AvroSchema, { type: 'enum' }>;
        const full = fullName(s.name, s.namespace ?? namespace);
        const short = shortName(full);
        // The symbols as a value too, so code that must list them (config checks) reads the schema's list.
        const symbols = `export const ${short.charAt(0).toLowerCase()}${short.slice(1)}Symbols = [${s.symbols.map((sym) => `'${sym}'`).join(', ')}] as const;\n`;
        named.set(full, { full, decl: `${docComment(s.doc, '')}export type ${short} = (typeof ${short.charAt(0).toLowerCase()}${short.slice(1)}Symbols)[number];\n${symbols}` });
        return shortName(full);
      }
      case 'array':
        return `Array<${typeOf((schema as { items: AvroSchema }).items, namespace)}>`;
      case 'map':
        return `Record<string, ${typeOf((schema as { values: AvroSchema }).values, namespace)}>`;
      default:
        if (schema.type in primitives) return primitives[schema.type]!;
        throw new Error(`unsupported Avro type: ${JSON.stringify(schema)}`);
    }
  }

  const roots: string[] = [];
  for (const schema of topLevel) {
    typeOf(schema, undefined);
    const s = schema as { name: string; namespace?: string };
    roots.push(fullName(s.name, s.namespace));
  }

  const shortNames = new Map<string, string>();
  for (const { full } of named.values()) {
    const short = shortName(full);
    const clash = shortNames.get(short);
    if (clash) throw new Error(`two Avro types share the short name ${short}: ${clash} and ${full}; rename one`);
    shortNames.set(short, full);
  }

  const decls = [...named.values()].map((n) => n.decl).join('\n');
  const map = roots.map((full) => `  '${full}': ${shortName(full)};\n`).join('');
  return `${decls}\n/** Top-level records by full Avro name. */\nexport interface SchemaTypes {\n${map}}\n`;
}
