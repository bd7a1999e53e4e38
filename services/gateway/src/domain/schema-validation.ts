/**
 * Stage 2, validate: the body against envelope.json and the payload against the operation's
 * schema. Validators are injected (Ajv-compiled in the adapter) so this module stays free of Ajv;
 * it only turns their errors into a refusal that names each offending field.
 */
import type { Refusal, StageResult } from './refusal';
import { fail, pass, refuse } from './refusal';
import type { RequestBody } from './signature';
import type { SchemaError, Validator } from '@maestro/protocol/schemas';

/** An Ajv error and a compiled validator, as the planner and dispatcher see them too. */
export type { SchemaError, Validator } from '@maestro/protocol/schemas';

/** Reasons beyond this many are summarised: a 10,000-step payload can fail 10,000 ways. */
const MAX_REASONS = 20;

/**
 * Turns schema errors into a `schema_violation` refusal. Each reason reads `<field>: <message>`,
 * where the field is a JSON pointer from the body's root (prefix with `root`, e.g. '/payload', when
 * the errors come from validating a sub-document). `required` and `additionalProperties` errors
 * name the missing or unexpected property itself rather than its parent object.
 */
export function schemaErrorsToRefusal(errors: readonly SchemaError[], root = ''): Refusal {
  const seen = new Set<string>();
  const found: { field: string; keyword: string; message: string }[] = [];
  for (const e of errors) {
    const { field, message } = describe(e, root);
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ field, keyword: e.keyword, message });
  }
  const reasons = found.slice(0, MAX_REASONS).map((f) => `${f.field}: ${f.message}`);
  if (found.length > MAX_REASONS) reasons.push(`and ${found.length - MAX_REASONS} more`);
  if (found.length === 0) reasons.push(`${root || '/'}: does not match the schema`);
  return refuse('schema_violation', reasons, { details: { fields: [...new Set(found.map((f) => f.field))], errors: found.slice(0, MAX_REASONS) } });
}

function describe(e: SchemaError, root: string): { field: string; message: string } {
  const at = `${root}${e.instancePath ?? e.dataPath ?? ''}`;
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
    return { field: `${at}/${pointerToken(e.params.missingProperty)}`, message: 'is required' };
  }
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    return { field: `${at}/${pointerToken(e.params.additionalProperty)}`, message: 'is not allowed' };
  }
  return { field: at || '/', message: e.message ?? `fails '${e.keyword}'` };
}

function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
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
