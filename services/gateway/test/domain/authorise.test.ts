import { describe, expect, it } from 'vitest';
import { authorise, holdsCapability } from '../../src/domain/authorise';
import type { OperationName } from '../../src/domain/operations';
import { operations } from '../../src/domain/operations';
import type { Principal } from '../../src/domain/trust-store';

const principal = (capabilities: string[], tenant = 'acme'): Principal => ({ caller: 'did:example:alice', tenant, capabilities });

function check(op: OperationName, p: Principal, overrides: { tenant?: string; capability?: string; payload?: unknown } = {}) {
  const refusal = authorise({
    operation: operations[op],
    principal: p,
    envelope: { tenant: overrides.tenant ?? p.tenant, capability: overrides.capability ?? operations[op].capability },
    payload: overrides.payload ?? { charterId: 'ch-1' },
  });
  return refusal?.refused.code ?? 'allowed';
}

describe('holdsCapability', () => {
  it.each([
    { held: ['map.maestro.goal.refine'], wanted: 'map.maestro.goal.refine', expected: true },
    { held: ['map.maestro.goal.refine'], wanted: 'map.maestro.goal.refinement', expected: false },
    { held: ['map.maestro.*'], wanted: 'map.maestro.graph.commit', expected: true },
    { held: ['map.maestro.graph.*'], wanted: 'map.maestro.graph.commit', expected: true },
    { held: ['map.maestro.graph.*'], wanted: 'map.maestro.goal.refine', expected: false },
    { held: ['map.maestro.graph*'], wanted: 'map.maestro.graph.commit', expected: false },
    { held: ['*'], wanted: 'map.maestro.plan', expected: false },
    { held: [], wanted: 'map.maestro.plan', expected: false },
  ])('$held grants $wanted: $expected', ({ held, wanted, expected }) => {
    expect(holdsCapability(held, wanted)).toBe(expected);
  });
});

describe('authorise', () => {
  it.each([
    { name: 'exact capability', op: 'goal.refine', held: ['map.maestro.goal.refine'], expected: 'allowed' },
    { name: 'capability for another operation', op: 'graph.commit', held: ['map.maestro.goal.refine'], expected: 'missing_capability' },
    { name: 'no capabilities', op: 'query.goals', held: [], expected: 'missing_capability' },
    { name: 'wildcard', op: 'outcome.report', held: ['map.maestro.*'], expected: 'allowed' },
    { name: 'plan by its own capability', op: 'plan', held: ['map.maestro.plan'], expected: 'allowed' },
    { name: 'plan by refine and commit', op: 'plan', held: ['map.maestro.goal.refine', 'map.maestro.graph.commit'], expected: 'allowed' },
    { name: 'plan by refine alone', op: 'plan', held: ['map.maestro.goal.refine'], expected: 'missing_capability' },
    { name: 'plan does not imply commit', op: 'graph.commit', held: ['map.maestro.plan'], expected: 'missing_capability' },
    { name: 'plan does not imply refine', op: 'goal.refine', held: ['map.maestro.plan'], expected: 'missing_capability' },
    { name: 'allocate by dispatch.next', op: 'allocate', held: ['map.maestro.dispatch.next'], expected: 'allowed' },
    { name: 'replan by graph.replan and commit', op: 'replan', held: ['map.maestro.graph.replan', 'map.maestro.graph.commit'], expected: 'allowed' },
    { name: 'replan by graph.replan alone', op: 'replan', held: ['map.maestro.graph.replan'], expected: 'missing_capability' },
  ] as const)('$name → $expected', ({ op, held, expected }) => {
    expect(check(op, principal([...held]))).toBe(expected);
  });

  it('refuses an envelope naming a capability other than the operation\'s, even one the caller holds', () => {
    expect(check('graph.commit', principal(['map.maestro.*']), { capability: 'map.maestro.graph.diff' })).toBe('missing_capability');
  });

  it.each([
    { name: 'envelope tenant differs', overrides: { tenant: 'globex' }, expected: 'tenant_mismatch' },
    { name: 'payload tenant differs', overrides: { payload: { charterId: 'ch-1', tenant: 'globex' } }, expected: 'tenant_mismatch' },
    { name: 'payload tenant matches', overrides: { payload: { charterId: 'ch-1', tenant: 'acme' } }, expected: 'allowed' },
  ])('tenant isolation: $name', ({ overrides, expected }) => {
    expect(check('charter.declare', principal(['map.maestro.*']), overrides)).toBe(expected);
  });

  it('checks the tenant before the capability, so a foreign tenant learns nothing about grants', () => {
    expect(check('graph.commit', principal([]), { tenant: 'globex' })).toBe('tenant_mismatch');
  });

  it('lists every grant that would have sufficed', () => {
    const refusal = authorise({ operation: operations.plan, principal: principal([]), envelope: { tenant: 'acme', capability: 'map.maestro.plan' }, payload: {} });
    expect(refusal?.refused).toMatchObject({
      stage: 'authorise',
      reasons: ["caller 'did:example:alice' does not hold map.maestro.plan, or map.maestro.goal.refine and map.maestro.graph.commit, needed for 'plan'"],
      details: { required: [['map.maestro.plan'], ['map.maestro.goal.refine', 'map.maestro.graph.commit']] },
    });
  });
});
