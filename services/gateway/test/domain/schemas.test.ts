/**
 * The published schemas compile under the Ajv the repository resolves (`ajv`, hoisted at 7.x) and
 * under the Ajv 8 that Fastify 5 validates with, in strict mode, and each accepts its own example
 * and refuses an invalid one. The examples are typed against the planner's shapes, so a schema that
 * drifts from `services/planner/src/domain/graph.ts` fails here or in the type check.
 */
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Charter, Executor, Goal } from '../../../planner/src/domain';
import type { OperationName } from '../../src/domain/operations';
import { operationNames } from '../../src/domain/operations';
import { envelopeSchema, maestroSchemas, payloadSchemas } from '../../src/domain/schemas';
import { schemaErrorsToRefusal } from '../../src/domain/schema-validation';

const require = createRequire(import.meta.url);
const Ajv8 = createRequire(require.resolve('@fastify/ajv-compiler'))('ajv') as typeof Ajv;

function compilers() {
  // Options as the gateway must configure Fastify: report every error, never coerce or strip.
  const options = { strict: true, allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false } as const;
  return [
    { name: `ajv ${require('ajv/package.json').version as string}`, ajv: new Ajv(options) },
    { name: `fastify's ajv ${createRequire(require.resolve('@fastify/ajv-compiler'))('ajv/package.json').version as string}`, ajv: new Ajv8(options) },
  ].map(({ name, ajv }) => {
    for (const s of maestroSchemas) ajv.addSchema(s);
    return { name, ajv };
  });
}

const executors: Executor[] = [{ id: 'worker-1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http', 'llm'] }];
const goal: Goal = {
  steps: [
    { id: 'fetch', name: 'Fetch', durationMs: 2000, cost: 0.5, tokens: 1000, requirements: { capabilities: ['http'], minTrust: 0.5 }, retry: { maxAttempts: 3, backoffMs: 500 } },
    { id: 'write', name: 'Write', durationMs: 4000, cost: 1, requirements: { capabilities: ['llm'], minTrust: 0.8 }, compensation: { name: 'Undo', durationMs: 1, cost: 0, requirements: { capabilities: [], minTrust: 0 }, mode: 'before-retry' } },
  ],
  dependencies: [{ from: 'fetch', to: 'write' }],
};
const charter: Charter = { deadlineMs: 60_000, budget: { cost: 100, tokens: 200_000 }, minTrust: 0.5, allowedExecutors: ['worker-1'] };

/** One valid and one invalid payload per operation, and the field the invalid one must be refused for. */
const cases: Record<OperationName, { valid: unknown; invalid: unknown; field: string }> = {
  'charter.declare': { valid: { charterId: 'ch-1', ...charter, executors }, invalid: { charterId: 'ch-1', ...charter, executors: [] }, field: '/executors' },
  'goal.refine': { valid: { charterId: 'ch-1', goalId: 'g-1', ...goal }, invalid: { charterId: 'ch-1', goalId: 'g-1', ...goal, steps: [{ ...goal.steps[0], durationMs: -1 }] }, field: '/steps/0/durationMs' },
  'graph.commit': { valid: { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 }, invalid: { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 0 }, field: '/expectedVersion' },
  'graph.diff': { valid: { charterId: 'ch-1', goalId: 'g-1', fromVersion: 1, toVersion: 2 }, invalid: { charterId: 'ch-1', goalId: 'g-1', fromVersion: 1 }, field: '/toVersion' },
  'graph.replan': {
    valid: { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1, progress: { completed: [{ stepId: 'fetch', executorId: 'worker-1', actualDurationMs: 10, actualCost: 1 }], failed: [{ stepId: 'write', attempts: 1, spentCost: 0.2 }], running: [] } },
    invalid: { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1, progress: { completed: [], failed: [{ stepId: 'write', attempts: 0, spentCost: 0 }] } }, field: '/progress/failed/0/attempts',
  },
  'dispatch.next': { valid: { charterId: 'ch-1', executorId: 'worker-1' }, invalid: { charterId: 'ch-1', executorId: 'worker-1', maxOrders: 1000 }, field: '/maxOrders' },
  'outcome.report': { valid: { charterId: 'ch-1', workOrderId: 'wo-1', status: 'failed', actualDurationMs: 5, actualCost: 0, detail: 'timeout' }, invalid: { charterId: 'ch-1', workOrderId: 'wo-1', status: 'exploded', actualDurationMs: 5, actualCost: 0 }, field: '/status' },
  'credit.trace': { valid: { charterId: 'ch-1', goalId: 'g-1' }, invalid: { charterId: 'ch 1', goalId: 'g-1' }, field: '/charterId' },
  'query.goals': { valid: { charterId: 'ch-1', limit: 100, cursor: 'abc' }, invalid: { charterId: 'ch-1', limit: 101 }, field: '/limit' },
  plan: { valid: { charterId: 'ch-1', goalId: 'g-1', ...goal }, invalid: { charterId: 'ch-1', goalId: 'g-1', ...goal, priority: 'high' }, field: '/priority' },
  allocate: { valid: { charterId: 'ch-1', executorIds: ['worker-1', 'worker-2'] }, invalid: { charterId: 'ch-1', executorIds: ['worker-1', 'worker-1'] }, field: '/executorIds' },
  replan: { valid: { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 3, reason: 'late' }, invalid: { goalId: 'g-1', expectedVersion: 3 }, field: '/charterId' },
};

describe.each(compilers())('schemas under $name', ({ ajv }) => {
  it('publishes one payload schema per operation and method', () => {
    expect(Object.keys(payloadSchemas).sort()).toEqual([...operationNames].sort());
  });

  it.each(maestroSchemas.map((s) => ({ id: s.$id, schema: s })))('$id compiles and its examples validate', ({ schema }) => {
    const validate = ajv.getSchema(schema.$id)!;
    for (const example of (schema.examples as unknown[] | undefined) ?? []) {
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it.each(operationNames.map((op) => ({ op, ...cases[op] })))('$op accepts a valid payload and refuses an invalid one at $field', ({ op, valid, invalid, field }) => {
    const validate = ajv.getSchema(payloadSchemas[op].$id)!;
    expect(validate(valid), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(invalid)).toBe(false);
    expect(schemaErrorsToRefusal(validate.errors ?? []).refused.details?.fields).toContain(field);
  });

  it.each([
    { name: 'signature of the wrong scheme', mutate: (b: Record<string, Record<string, unknown>>) => { b.envelope!.signature = 'rsa:AAAA'; }, field: '/envelope/signature' },
    { name: 'short nonce', mutate: (b: Record<string, Record<string, unknown>>) => { b.envelope!.nonce = 'abc'; }, field: '/envelope/nonce' },
    { name: 'fractional timestamp', mutate: (b: Record<string, Record<string, unknown>>) => { b.envelope!.timestampMs = 1.5; }, field: '/envelope/timestampMs' },
    { name: 'an extra envelope field', mutate: (b: Record<string, Record<string, unknown>>) => { b.envelope!.operation = 'graph.commit'; }, field: '/envelope/operation' },
    { name: 'payload not an object', mutate: (b: Record<string, unknown>) => { b.payload = [1]; }, field: '/payload' },
  ])('the envelope schema refuses $name', ({ mutate, field }) => {
    const body = structuredClone((envelopeSchema.examples as unknown[])[0]) as Record<string, Record<string, unknown>>;
    mutate(body);
    const validate = ajv.getSchema(envelopeSchema.$id)!;
    expect(validate(body)).toBe(false);
    expect(schemaErrorsToRefusal(validate.errors ?? []).refused.details?.fields).toContain(field);
  });

  it('bounds the size of a goal', () => {
    const validate = ajv.getSchema(payloadSchemas['goal.refine'].$id)!;
    const steps = Array.from({ length: 1001 }, (_, i) => ({ ...goal.steps[0]!, id: `s${i}` }));
    expect(validate({ charterId: 'ch-1', goalId: 'g-1', steps, dependencies: [] })).toBe(false);
  });
});
