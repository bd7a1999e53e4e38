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
export { schemaProblems } from './schema-problems';

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
