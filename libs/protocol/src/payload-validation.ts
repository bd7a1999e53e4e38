/**
 * The published JSON Schemas compiled with Ajv, once per process, for the gateway (every call) and
 * for the planner and dispatcher (every request they read from `protocol.requests`). A request on
 * Kafka need not have come through the gateway — anything that can write the topic can put any
 * payload there — so services check it against the same files before an operation sees it.
 *
 * The options keep validation read-only (README of schemas/maestro/v1): the validated body is what
 * was signed, so nothing may be removed, defaulted or coerced.
 */
import Ajv from 'ajv';
import { envelopeSchema, maestroSchemas, payloadSchemas, type SchemaError, type Validator } from './maestro-schemas';

export type { SchemaError, Validator };

/** The operations that have a published payload schema. */
export type SchemaOperation = keyof typeof payloadSchemas;

/** The envelope validator and each operation's payload validator. */
export interface MaestroValidators {
  readonly body: Validator;
  readonly payload: Readonly<Record<SchemaOperation, Validator>>;
}

/** Compiles every published schema; call once at boot (compiling takes tens of milliseconds). */
export function compileMaestroValidators(): MaestroValidators {
  const ajv = new Ajv({ removeAdditional: false, useDefaults: false, coerceTypes: false, allErrors: true, strict: false });
  for (const schema of maestroSchemas) ajv.addSchema(schema);
  const compiled = (id: string): Validator => {
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`schema ${id} is not registered`);
    return validate as Validator;
  };
  const payload = Object.fromEntries(Object.entries(payloadSchemas).map(([name, schema]) => [name, compiled(schema.$id)])) as Record<SchemaOperation, Validator>;
  return Object.freeze({ body: compiled(envelopeSchema.$id), payload: Object.freeze(payload) });
}

/** Reasons beyond this many are summarised: a 10,000-step payload can fail 10,000 ways. */
const MAX_REASONS = 20;

/**
 * A failed validation as reasons (`<field>: <message>`, the field a JSON pointer under `root`) and
 * the fields named. `required` and `additionalProperties` errors name the missing or unexpected
 * property itself rather than its parent object.
 */
export function schemaProblems(errors: readonly SchemaError[], root = ''): { reasons: string[]; fields: string[] } {
  const found = new Map<string, { field: string; message: string }>();
  for (const e of errors) {
    const at = `${root}${e.instancePath ?? e.dataPath ?? ''}`;
    const named = e.keyword === 'required' ? e.params.missingProperty : e.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined;
    const problem = typeof named === 'string'
      ? { field: `${at}/${named.replaceAll('~', '~0').replaceAll('/', '~1')}`, message: e.keyword === 'required' ? 'is required' : 'is not allowed' }
      : { field: at || '/', message: e.message ?? `fails '${e.keyword}'` };
    found.set(`${problem.field}\u0000${problem.message}`, problem);
  }
  const all = [...found.values()];
  const reasons = all.slice(0, MAX_REASONS).map((p) => `${p.field}: ${p.message}`);
  if (all.length > MAX_REASONS) reasons.push(`and ${all.length - MAX_REASONS} more`);
  if (all.length === 0) reasons.push(`${root || '/'}: does not match the schema`);
  return { reasons, fields: [...new Set(all.map((p) => p.field))] };
}
