import { describe, expect, it } from 'vitest';
import type { OperationName } from '../../src/domain/operations';
import { operations } from '../../src/domain/operations';
import type { PolicyContext, PolicyHook } from '../../src/domain/policy';
import { ALLOW, createOperationDenyListHook, createSizeLimitHook, evaluatePolicies } from '../../src/domain/policy';
import { NOW_MS } from './fixtures';

function context(op: OperationName, payload: Record<string, unknown>, payloadBytes = 100, tenant = 'acme'): PolicyContext {
  return { operation: operations[op], principal: { caller: 'c', tenant, capabilities: [] }, payload, payloadBytes, nowMs: NOW_MS };
}

const steps = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s${i}` }));

describe('size-limit hook', () => {
  const hook = createSizeLimitHook({ maxPayloadBytes: 1000, maxSteps: 3, maxDependencies: 2 });
  it.each([
    { name: 'within every limit', payload: { steps: steps(3), dependencies: [] }, bytes: 1000, allow: true },
    { name: 'too many bytes', payload: {}, bytes: 1001, allow: false },
    { name: 'too many steps', payload: { steps: steps(4) }, bytes: 10, allow: false },
    { name: 'too many dependencies', payload: { steps: steps(1), dependencies: [{}, {}, {}] }, bytes: 10, allow: false },
    { name: 'an operation without steps', payload: { charterId: 'c' }, bytes: 10, allow: true },
  ])('$name → allow=$allow', ({ payload, bytes, allow }) => {
    expect(hook.evaluate(context('goal.refine', payload, bytes)).allow).toBe(allow);
  });

  it('says which limit and by how much', () => {
    expect(hook.evaluate(context('plan', { steps: steps(5) }, 2000))).toEqual({
      allow: false,
      reasons: ['the payload is 2000 bytes, over the limit of 1000', 'the goal has 5 steps, over the limit of 3'],
    });
  });
});

describe('operation deny-list hook', () => {
  const hook = createOperationDenyListHook({ acme: ['graph.replan', 'replan'] });
  it.each([
    { tenant: 'acme', op: 'graph.replan', allow: false },
    { tenant: 'acme', op: 'replan', allow: false },
    { tenant: 'acme', op: 'goal.refine', allow: true },
    { tenant: 'globex', op: 'graph.replan', allow: true },
  ] as const)('$tenant calling $op → allow=$allow', ({ tenant, op, allow }) => {
    expect(hook.evaluate(context(op, {}, 10, tenant)).allow).toBe(allow);
  });
});

describe('evaluatePolicies', () => {
  const deny = (name: string, reason: string): PolicyHook => ({ name, evaluate: () => ({ allow: false, reasons: [reason] }) });
  const allow: PolicyHook = { name: 'allow-all', evaluate: () => ALLOW };

  it('allows when no hook objects', () => {
    expect(evaluatePolicies([], context('goal.refine', {}))).toBeNull();
    expect(evaluatePolicies([allow], context('goal.refine', {}))).toBeNull();
  });

  it('runs every hook and reports every denial, prefixed with the hook', () => {
    const refusal = evaluatePolicies([deny('a', 'no'), allow, deny('b', 'never')], context('goal.refine', {}));
    expect(refusal?.refused).toEqual({ stage: 'policy', code: 'policy_denied', reasons: ['a: no', 'b: never'], details: { deniedBy: ['a', 'b'] } });
  });

  it('fails closed when a hook throws', () => {
    const broken: PolicyHook = { name: 'broken', evaluate: () => { throw new Error('boom'); } };
    expect(evaluatePolicies([allow, broken], context('goal.refine', {}))?.refused).toMatchObject({ stage: 'policy', code: 'internal', reasons: ["policy hook 'broken' failed: boom"] });
  });
});
