/**
 * The published JSON Schemas (schemas/maestro/v1), imported as data so that the gateway (on every
 * call) and the planner and dispatcher (on every request read from Kafka, which need not have come
 * through the gateway) validate with exactly the files that are published. Pure data: the gateway's
 * domain imports it as `@maestro/protocol/schemas`. Draft-07, which Ajv 8 (Fastify 5's validator) handles without
 * extra meta-schemas. Operation schemas reference `defs.json` by relative `$ref`, so a validator must
 * be given every schema in {@link maestroSchemas} (Ajv `addSchema`, Fastify `addSchema`).
 */
import allocate from '../../../schemas/maestro/v1/allocate.json' with { type: 'json' };
import charterDeclare from '../../../schemas/maestro/v1/charter.declare.json' with { type: 'json' };
import creditTrace from '../../../schemas/maestro/v1/credit.trace.json' with { type: 'json' };
import defs from '../../../schemas/maestro/v1/defs.json' with { type: 'json' };
import dispatchNext from '../../../schemas/maestro/v1/dispatch.next.json' with { type: 'json' };
import envelope from '../../../schemas/maestro/v1/envelope.json' with { type: 'json' };
import goalRefine from '../../../schemas/maestro/v1/goal.refine.json' with { type: 'json' };
import graphCommit from '../../../schemas/maestro/v1/graph.commit.json' with { type: 'json' };
import graphDiff from '../../../schemas/maestro/v1/graph.diff.json' with { type: 'json' };
import graphReplan from '../../../schemas/maestro/v1/graph.replan.json' with { type: 'json' };
import outcomeReport from '../../../schemas/maestro/v1/outcome.report.json' with { type: 'json' };
import plan from '../../../schemas/maestro/v1/plan.json' with { type: 'json' };
import queryGoals from '../../../schemas/maestro/v1/query.goals.json' with { type: 'json' };
import replan from '../../../schemas/maestro/v1/replan.json' with { type: 'json' };

/** A JSON Schema document with its `$id`. Typed loosely: validators take it as data. */
export type JsonSchema = Readonly<Record<string, unknown>> & { readonly $id: string };

const asSchema = (s: { $id: string }): JsonSchema => s as JsonSchema;

/** The schema of the request body (envelope and payload object). */
export const envelopeSchema: JsonSchema = asSchema(envelope);

/** Shared definitions the payload schemas reference. */
export const defsSchema: JsonSchema = asSchema(defs);

/** Each operation's payload schema, by operation name. */
export const payloadSchemas = {
  'charter.declare': asSchema(charterDeclare),
  'goal.refine': asSchema(goalRefine),
  'graph.commit': asSchema(graphCommit),
  'graph.diff': asSchema(graphDiff),
  'graph.replan': asSchema(graphReplan),
  'dispatch.next': asSchema(dispatchNext),
  'outcome.report': asSchema(outcomeReport),
  'credit.trace': asSchema(creditTrace),
  'query.goals': asSchema(queryGoals),
  plan: asSchema(plan),
  allocate: asSchema(allocate),
  replan: asSchema(replan),
} as const;

/** Every published schema, shared definitions first: register them all before compiling any. */
export const maestroSchemas: readonly JsonSchema[] = [defsSchema, envelopeSchema, ...Object.values(payloadSchemas)];

/** The parts of an Ajv error that are read. */
export interface SchemaError {
  /** JSON pointer to the offending value, '' for the root (Ajv 8). */
  readonly instancePath?: string;
  /** The same in Ajv 7's errors. */
  readonly dataPath?: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** A compiled validator: Ajv's `ValidateFunction` satisfies it. */
export interface Validator {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}
