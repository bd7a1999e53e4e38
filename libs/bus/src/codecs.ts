import avro from 'avsc';
import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { avroSchemas, deadLetterSchema, type SchemaName, type TopicSpec, type ValueOf } from '@maestro/contracts';
import { decodeBounded, defaultDecodeLimits, type DecodeLimits } from './avro-bounds';
import { BusError } from './errors';
import { isRegistryTimeout } from './registry-client';
import { frame, unframe } from './wire-format';

/**
 * Encodes and decodes topic values in the Confluent wire format against the registry. Each topic's
 * schema is registered once at start under `<prefixed topic>-value` (TopicNameStrategy); decoding
 * reads with the writer's schema (fetched by id, cached) resolved into this service's own schema, so
 * a producer on a newer, backward-compatible schema is still understood.
 */
export interface Codecs {
  /** Prefixed topic name as it exists on the broker. */
  topicName(spec: TopicSpec): string;
  encode<T extends TopicSpec>(spec: T, value: ValueOf<T>): Buffer;
  decode<T extends TopicSpec>(spec: T, value: Buffer | null): Promise<ValueOf<T>>;
  encodeDeadLetter(sourceTopic: string, value: ValueOf<TopicSpec<'maestro.bus.DeadLetter'>>): Buffer;
  deadLetterTopicName(spec: TopicSpec): string;
}

export interface CodecsOptions {
  registry: SchemaRegistry;
  specs: readonly TopicSpec[];
  /** Prepended to every topic name, so deployments (and test runs) can share a cluster. */
  topicPrefix: string;
  /** Bounds every consumed body is checked against before it is decoded. @default defaultDecodeLimits */
  decodeLimits?: DecodeLimits;
}

interface Registered {
  type: avro.Type;
  schemaId: number;
  deadLetterId?: number;
}

const typeCache = new Map<SchemaName, avro.Type>();

function typeOf(name: SchemaName): avro.Type {
  let type = typeCache.get(name);
  if (!type) {
    type = avro.Type.forSchema(avroSchemas[name] as avro.Schema);
    typeCache.set(name, type);
  }
  return type;
}

/** Explains why a value does not fit its schema, field by field, for the error and the dead letter. */
function explainInvalid(type: avro.Type, value: unknown): string {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook(path: string[], got: unknown) {
      problems.push(`${path.join('.') || '(root)'}: got ${JSON.stringify(got) ?? String(got)}`);
    },
  });
  return problems.length ? problems.join('; ') : 'value does not match the schema';
}

export async function registerCodecs({ registry, specs, topicPrefix, decodeLimits = defaultDecodeLimits }: CodecsOptions): Promise<Codecs> {
  const byTopic = new Map<string, Registered>();
  const deadLetterType = typeOf(deadLetterSchema);

  async function register(subject: string, name: SchemaName): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(avroSchemas[name]) }, { subject });
        return id;
      } catch (cause) {
        // Replicas starting together race to set a new subject's compatibility rule; the loser is
        // told the rule exists. Trying again reads the rule as set, and registration is idempotent.
        // A request that got no answer in time (registry-client.ts) is tried again the same way.
        const raced = /already exists/i.test((cause as Error).message);
        if ((raced || isRegistryTimeout(cause)) && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
          continue;
        }
        throw new Error(`registering ${name} under subject ${subject} failed: ${(cause as Error).message}`, { cause });
      }
    }
  }

  for (const spec of specs) {
    const topic = topicPrefix + spec.name;
    const entry: Registered = { type: typeOf(spec.valueSchema), schemaId: await register(`${topic}-value`, spec.valueSchema) };
    if (spec.deadLetter) entry.deadLetterId = await register(`${topic}.dlq-value`, deadLetterSchema);
    byTopic.set(spec.name, entry);
  }

  /** The writer's type (to walk the bytes with) and its resolver into ours, per topic and schema id. */
  const writers = new Map<string, { writer: avro.Type; resolver: ReturnType<avro.Type['createResolver']> }>();

  function entryFor(spec: TopicSpec): Registered {
    const entry = byTopic.get(spec.name);
    if (!entry) throw new Error(`topic ${spec.name} was not registered with this service's codecs`);
    return entry;
  }

  async function writerOf(spec: TopicSpec, entry: Registered, schemaId: number) {
    const cacheKey = `${spec.name}#${schemaId}`;
    const cached = writers.get(cacheKey);
    if (cached) return cached;
    let writer: avro.Type;
    try {
      writer = (await registry.getSchema(schemaId)) as unknown as avro.Type;
    } catch (cause) {
      const status = (cause as { status?: number }).status;
      if (status === 404) throw new BusError('UNKNOWN_SCHEMA', `schema id ${schemaId} is not in the registry`, { cause });
      throw new BusError('REGISTRY_UNAVAILABLE', `fetching schema id ${schemaId}: ${(cause as Error).message}`, { cause });
    }
    let resolver;
    try {
      resolver = entry.type.createResolver(writer);
    } catch (cause) {
      throw new BusError('INCOMPATIBLE_SCHEMA', `writer schema ${schemaId} cannot be read as ${spec.valueSchema}: ${(cause as Error).message}`, { cause });
    }
    const found = { writer, resolver };
    writers.set(cacheKey, found);
    return found;
  }

  return {
    topicName: (spec) => topicPrefix + spec.name,
    deadLetterTopicName: (spec) => `${topicPrefix}${spec.name}.dlq`,
    encode(spec, value) {
      const entry = entryFor(spec);
      let body: Buffer;
      try {
        body = entry.type.toBuffer(value);
      } catch {
        throw new BusError('INVALID_RECORD', `${spec.valueSchema} for ${spec.name}: ${explainInvalid(entry.type, value)}`);
      }
      return frame(entry.schemaId, body);
    },
    async decode(spec, value) {
      const entry = entryFor(spec);
      const { schemaId, bodyOffset } = unframe(value);
      const buf = value as Buffer;
      const { writer, resolver } = schemaId === entry.schemaId ? { writer: entry.type, resolver: undefined } : await writerOf(spec, entry, schemaId);
      try {
        return decodeBounded({ reader: entry.type, writer, resolver }, buf, bodyOffset, decodeLimits) as ValueOf<typeof spec>;
      } catch (cause) {
        throw new BusError('DECODE_FAILED', `${spec.valueSchema} (schema id ${schemaId}): ${(cause as Error).message}`, { cause });
      }
    },
    encodeDeadLetter(sourceTopic, value) {
      const entry = [...byTopic.entries()].find(([name]) => topicPrefix + name === sourceTopic)?.[1];
      if (entry?.deadLetterId === undefined) throw new Error(`topic ${sourceTopic} has no dead-letter topic in the catalog`);
      return frame(entry.deadLetterId, deadLetterType.toBuffer(value));
    },
  };
}
