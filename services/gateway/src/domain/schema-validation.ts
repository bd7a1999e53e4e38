/**
 * Stage 2, validate: the body against envelope.json and the payload against the operation's
 * schema. Validators are injected (Ajv-compiled in the adapter) so this module stays free of Ajv;
 * it only turns their errors into a refusal that names each offending field.
 */
import type { Refusal, StageResult } from './refusal';
import { fail, pass, refuse } from './refusal';
import type { RequestBody } from './signature';
import type { SchemaError, Validator } from '@maestro/protocol/schemas';
import { schemaProblems } from '@maestro/protocol/schema-problems';

/** An Ajv error and a compiled validator, as the planner and dispatcher see them too. */
export type { SchemaError, Validator } from '@maestro/protocol/schemas';

/**
 * Turns schema errors into a `schema_violation` refusal. Each reason reads `<field>: <message>`,
 * where the field is a JSON pointer from the body's root (prefix with `root`, e.g. '/payload', when
 * the errors come from validating a sub-document); see libs/protocol's schemaProblems.
 */
export function schemaErrorsToRefusal(errors: readonly SchemaError[], root = ''): Refusal {
  const { reasons, fields, problems } = schemaProblems(errors, root);
  return refuse('schema_violation', reasons, { details: { fields, errors: problems } });
}

/**
 * Validates a parsed body: the envelope schema first (it also requires `payload` to be an object),
 * then the payload against the operation's schema, with payload fields reported under '/payload'.
 */
export function validateRequest(body: unknown, validateBody: Validator, validatePayload: Validator): StageResult<RequestBody> {
  if (!validateBody(body)) return fail(schemaErrorsToRefusal(validateBody.errors ?? []));
  const request = body as RequestBody;
  if (!validatePayload(request.payload)) return fail(schemaErrorsToRefusal(validatePayload.errors ?? [], '/payload'));
  return pass(request);
}
