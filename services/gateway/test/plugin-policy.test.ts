/** Plugin gateway hooks in the gateway's real policy stage: a rule's denial and a broken rule's both refuse as policy_denied, naming the plugin. */
import { describe, expect, it } from 'vitest';
import { definePlugin } from '@maestro/plugin-sdk';
import { createContainment, gatewayPolicyHooks } from '@maestro/plugin-sdk/host';
import { createSizeLimitHook, errorCatalog, evaluatePolicies, operations, type PolicyContext } from '../src/domain';
import { NOW_MS } from './domain/fixtures';

const plugin = definePlugin({
  name: 'acme',
  version: '1.0.0',
  policyHooks: {
    gateway: [
      { name: 'quiet-hours', evaluate: ({ principal }) => (principal.tenant === 'night-shift' ? { allow: false, reasons: ['no plans between 22:00 and 06:00'] } : { allow: true }) },
      { name: 'budget-api', evaluate: ({ payload }) => { if ('budget' in payload) throw new Error('budget service down'); return { allow: true }; } },
    ],
  },
});

const hooks = [createSizeLimitHook(), ...gatewayPolicyHooks([plugin], createContainment({ timeoutMs: 5_000, onFailure: () => undefined }))];
const context = (tenant: string, payload: Record<string, unknown> = {}): PolicyContext =>
  ({ operation: operations['goal.refine'], principal: { caller: 'c', tenant, capabilities: [] }, payload, payloadBytes: 10, nowMs: NOW_MS });

describe('plugin gateway hooks', () => {
  it('let an allowed call through', () => {
    expect(evaluatePolicies(hooks, context('acme'))).toBeNull();
  });

  it.each([
    ['a rule\'s denial', context('night-shift'), 'acme/quiet-hours: no plans between 22:00 and 06:00'],
    ['a rule that throws', context('acme', { budget: 1 }), 'acme/budget-api: plugin acme failed: gateway policy hook budget-api threw: budget service down'],
  ])('refuse %s as policy_denied with the plugin named, not as an internal error', (_, ctx, reason) => {
    const refusal = evaluatePolicies(hooks, ctx);
    expect(refusal?.refused).toMatchObject({ code: 'policy_denied', reasons: [reason] });
    expect(errorCatalog.policy_denied.status).toBeLessThan(500);
  });
});
