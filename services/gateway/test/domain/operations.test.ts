import { describe, expect, it } from 'vitest';
import { findOperation, operationNames, operations } from '../../src/domain/operations';
import { payloadSchemas } from '../../src/domain/schemas';
import index from '../../../../schemas/maestro/v1/index.json' with { type: 'json' };

const PROTOCOL_OPERATIONS = ['charter.declare', 'goal.refine', 'graph.commit', 'graph.diff', 'graph.replan', 'dispatch.next', 'outcome.report', 'credit.trace', 'query.goals'];

describe('operation registry', () => {
  it('lists the nine protocol operations in order, then the three service methods', () => {
    expect(operationNames).toEqual([...PROTOCOL_OPERATIONS, 'plan', 'allocate', 'replan']);
    expect(operationNames.filter((n) => operations[n].kind === 'operation')).toEqual(PROTOCOL_OPERATIONS);
  });

  it.each(operationNames.map((name) => ({ name, spec: operations[name] })))('$name: capability, schema, service', ({ name, spec }) => {
    expect(spec.name).toBe(name);
    expect(spec.capability).toBe(`map.maestro.${name}`);
    expect(spec.schema).toBe(payloadSchemas[name]);
    expect(spec.schema.$id).toBe(`https://maestro.dev/schemas/maestro/v1/${name}.json`);
    expect(['planner', 'dispatcher']).toContain(spec.service);
    expect(spec.summary.length).toBeGreaterThan(10);
    // Every payload names its charter: it is the Kafka record key (protocol.requests).
    expect((spec.schema.required as string[])).toContain('charterId');
  });

  it.each([
    { name: 'graph.diff', readOnly: true, service: 'planner' },
    { name: 'credit.trace', readOnly: true, service: 'dispatcher' },
    { name: 'query.goals', readOnly: true, service: 'planner' },
    { name: 'goal.refine', readOnly: false, service: 'planner' },
    { name: 'dispatch.next', readOnly: false, service: 'dispatcher' },
    { name: 'outcome.report', readOnly: false, service: 'dispatcher' },
    { name: 'allocate', readOnly: false, service: 'dispatcher' },
    { name: 'plan', readOnly: false, service: 'planner' },
  ] as const)('$name is readOnly=$readOnly, handled by $service', ({ name, readOnly, service }) => {
    expect(operations[name]).toMatchObject({ readOnly, service });
  });

  it('finds an operation by name', () => {
    expect(findOperation('goal.refine')).toEqual({ ok: true, value: operations['goal.refine'] });
  });

  it.each(['goal.delete', '', 'toString', 'GOAL.REFINE'])('refuses %j as unknown_operation, listing the operations', (name) => {
    const result = findOperation(name);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.refused).toMatchObject({ stage: 'parse', code: 'unknown_operation', details: { operations: operationNames } });
    expect(result.refusal.refused.reasons[0]).toContain('charter.declare, goal.refine');
  });

  it('matches the published index.json', () => {
    expect(index.operations).toEqual(operationNames.map((name) => {
      const { kind, summary, capability, grantedBy, service, readOnly } = operations[name];
      return { name, kind, summary, schema: `${name}.json`, capability, grantedBy, service, readOnly };
    }));
  });
});
