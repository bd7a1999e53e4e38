/**
 * A failed JSON Schema validation as the callers are told it, the same in the gateway (on every
 * call) and in the planner and dispatcher (on every request read from Kafka). Pure: the gateway's
 * domain imports it as `@maestro/protocol/schema-problems`, without Ajv.
 */
import type { SchemaError } from './maestro-schemas';

/** Reasons beyond this many are summarised: a 10,000-step payload can fail 10,000 ways. */
const MAX_REASONS = 20;

/** One offending field: a JSON pointer, the schema keyword it failed and what is wrong. */
export interface SchemaProblem {
  readonly field: string;
  readonly keyword: string;
  readonly message: string;
}

/**
 * A failed validation as reasons (`<field>: <message>`, the field a JSON pointer under `root`), the
 * fields named, and the first problems. `required` and `additionalProperties` errors name the
 * missing or unexpected property itself rather than its parent object.
 */
export function schemaProblems(errors: readonly SchemaError[], root = ''): { reasons: string[]; fields: string[]; problems: SchemaProblem[] } {
  const found = new Map<string, SchemaProblem>();
  for (const e of errors) {
    const at = `${root}${e.instancePath ?? e.dataPath ?? ''}`;
    const named = e.keyword === 'required' ? e.params.missingProperty : e.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined;
    const problem = typeof named === 'string'
      ? { field: `${at}/${named.replaceAll('~', '~0').replaceAll('/', '~1')}`, keyword: e.keyword, message: e.keyword === 'required' ? 'is required' : 'is not allowed' }
      : { field: at || '/', keyword: e.keyword, message: e.message ?? `fails '${e.keyword}'` };
    const key = `${problem.field}\u0000${problem.message}`;
    if (!found.has(key)) found.set(key, problem);
  }
  const all = [...found.values()];
  const reasons = all.slice(0, MAX_REASONS).map((p) => `${p.field}: ${p.message}`);
  if (all.length > MAX_REASONS) reasons.push(`and ${all.length - MAX_REASONS} more`);
  if (all.length === 0) reasons.push(`${root || '/'}: does not match the schema`);
  return { reasons, fields: [...new Set(all.map((p) => p.field))], problems: all.slice(0, MAX_REASONS) };
}
