/**
 * The Ajv adapter of the validate stage: every published schema registered, then one validator per
 * operation compiled once at boot. The options keep validation read-only (README of
 * schemas/maestro/v1): the validated body is what was signed, so nothing may be removed, defaulted
 * or coerced.
 */
import Ajv from 'ajv';
import { envelopeSchema, maestroSchemas, operationNames, payloadSchemas, type OperationName, type Validator } from './domain';

/** The envelope validator and each operation's payload validator. */
export interface Validators {
  readonly body: Validator;
  readonly payload: Readonly<Record<OperationName, Validator>>;
}

export function compileValidators(): Validators {
  const ajv = new Ajv({ removeAdditional: false, useDefaults: false, coerceTypes: false, allErrors: true, strict: false });
  for (const schema of maestroSchemas) ajv.addSchema(schema);
  const compiled = (id: string): Validator => {
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`schema ${id} is not registered`);
    return validate as Validator;
  };
  const payload = Object.fromEntries(operationNames.map((name) => [name, compiled(payloadSchemas[name].$id)])) as Record<OperationName, Validator>;
  return Object.freeze({ body: compiled(envelopeSchema.$id), payload: Object.freeze(payload) });
}
