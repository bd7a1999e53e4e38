/**
 * The operation registry: the nine MAESTRO operations and the three service methods, each with its
 * payload schema, the capability it requires, the service that handles it and whether it changes
 * state. Every other stage looks operations up here; nothing else lists them.
 */
import type { StageResult } from './refusal';
import { fail, pass, refuse } from './refusal';
import type { JsonSchema } from './schemas';
import { payloadSchemas } from './schemas';

/** The service a call is dispatched to over Kafka. */
export type Service = 'planner' | 'dispatcher';

/** One entry of the registry. */
export interface OperationSpec {
  readonly name: OperationName;
  /** A protocol operation, or a service method composed of operations. */
  readonly kind: 'operation' | 'method';
  readonly summary: string;
  /** `map.maestro.<name>`: the capability the envelope must name. */
  readonly capability: string;
  /**
   * Other grants that also authorise the call: holding every capability of any one set suffices.
   * A method is allowed to a caller that may perform each operation it is made of; the reverse
   * does not hold (holding `map.maestro.plan` does not let a caller commit an arbitrary version).
   */
  readonly grantedBy: readonly (readonly string[])[];
  readonly service: Service;
  /** True when the call changes no state; the Idempotency-Key is then ignored. */
  readonly readOnly: boolean;
  readonly schema: JsonSchema;
}

const cap = (name: string): string => `map.maestro.${name}`;

type Entry = Omit<OperationSpec, 'name' | 'capability' | 'schema' | 'grantedBy'> & { readonly grantedBy?: readonly (readonly string[])[] };

const entries = {
  'charter.declare': { kind: 'operation', service: 'planner', readOnly: false, summary: 'Declare a charter under which subsequent goals will be refined.' },
  'goal.refine': { kind: 'operation', service: 'planner', readOnly: false, summary: 'Refine a goal into an executable graph with dependency analysis.' },
  'graph.commit': { kind: 'operation', service: 'planner', readOnly: false, summary: 'Commit a refined execution graph as the active plan.' },
  'graph.diff': { kind: 'operation', service: 'planner', readOnly: true, summary: 'Diff two graph versions; surface added/removed/changed steps.' },
  'graph.replan': { kind: 'operation', service: 'planner', readOnly: false, summary: 'Replan a graph on deviation; reuses durable state where possible.' },
  'dispatch.next': { kind: 'operation', service: 'dispatcher', readOnly: false, summary: 'Dispatch the next ready step under the active plan.' },
  'outcome.report': { kind: 'operation', service: 'dispatcher', readOnly: false, summary: 'Report a step outcome; updates the plan and triggers cascades.' },
  'credit.trace': { kind: 'operation', service: 'dispatcher', readOnly: true, summary: 'Trace credit and blame for a completed leg of the plan.' },
  'query.goals': { kind: 'operation', service: 'planner', readOnly: true, summary: 'Query active goals under a charter.' },
  plan: {
    kind: 'method', service: 'planner', readOnly: false, summary: 'Produce an execution plan from a goal and constraints: refine and commit in one call.',
    grantedBy: [[cap('goal.refine'), cap('graph.commit')]],
  },
  allocate: {
    kind: 'method', service: 'dispatcher', readOnly: false, summary: 'Allocate plan steps to executors. Returns binding work orders.',
    grantedBy: [[cap('dispatch.next')]],
  },
  replan: {
    kind: 'method', service: 'planner', readOnly: false, summary: 'Re-plan on deviation and commit the result; reuses durable state where possible.',
    grantedBy: [[cap('graph.replan'), cap('graph.commit')]],
  },
} as const satisfies Record<keyof typeof payloadSchemas, Entry>;

/** An operation or service method name. */
export type OperationName = keyof typeof entries;

/** The registry, by name. */
export const operations: Readonly<Record<OperationName, OperationSpec>> = Object.freeze(Object.fromEntries(
  (Object.entries(entries) as [OperationName, Entry][]).map(([name, e]) => [name, Object.freeze({
    name, ...e, capability: cap(name), grantedBy: e.grantedBy ?? [], schema: payloadSchemas[name],
  })]),
) as Record<OperationName, OperationSpec>);

/** Every name, operations first, in the protocol's order. */
export const operationNames: readonly OperationName[] = Object.freeze(Object.keys(entries) as OperationName[]);

/** True when `name` is a registered operation or method. */
export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(entries, name);
}

/** Looks an operation up; an unknown name is refused with the list of names that exist. */
export function findOperation(name: string): StageResult<OperationSpec> {
  if (isOperationName(name)) return pass(operations[name]);
  return fail(refuse('unknown_operation', [`'${name}' is not a MAESTRO operation; the operations are ${operationNames.join(', ')}`], { details: { operations: operationNames } }));
}
