/**
 * Plugin strategies and hooks in the healer's real decision core: what a healer started with
 * MAESTRO_PLUGINS decides, without the bus (test/plugins has the end-to-end run).
 */
import { describe, expect, it } from 'vitest';
import { definePlugin } from '@maestro/plugin-sdk';
import { createContainment, healerExtensions } from '@maestro/plugin-sdk/host';
import { createBuiltinStrategies, decide, DEFAULT_LADDERS, resolveHealerConfig } from '../src/domain/index';
import { anomaly, context, NOW } from './domain/fixtures';

const plugin = definePlugin({
  name: 'acme',
  version: '1.0.0',
  strategies: [{
    name: 'drain',
    ladders: { spike: 'first' },
    appliesTo: (kind) => kind === 'spike',
    plan: ({ anomaly: a }) => {
      if (a.assetId === 'cursed') throw new Error('no pool for cursed');
      return { strategy: 'drain', params: { pool: 'blue' }, expectedRecovery: { metric: a.metric, withinMs: 60_000, condition: { op: 'at_most', threshold: 120, sustainedSamples: 3 } } };
    },
  }],
  policyHooks: {
    healer: [{ name: 'opa', evaluate: ({ asset }) => { if (asset.labels.team === 'payments') throw new Error('OPA unreachable'); return { verdict: 'allow' }; } }],
  },
});

function healerConfig() {
  const ext = healerExtensions([plugin], createContainment({ timeoutMs: 5_000, onFailure: () => undefined }));
  return resolveHealerConfig({
    settings: { mode: 'live', ladders: ext.ladders(DEFAULT_LADDERS) },
    strategies: [...createBuiltinStrategies({ runbook: { url: 'https://runbooks.example/hooks/heal' } }), ...ext.strategies],
    policies: ext.policyHooks,
  });
}

describe('plugins in the healer core', () => {
  it('tries a plugin strategy first where it asked to be, and the action names the plugin', () => {
    const result = decide(anomaly(), context(), healerConfig(), NOW);
    expect(result.kind).toBe('needs_slot');
    if (result.kind !== 'needs_slot') return;
    expect(result.draft).toMatchObject({ strategy: 'drain', params: { pool: 'blue', 'maestro.plugin': 'acme' }, ladder: ['drain', 'throttle', 'rebalance', 'restart', 'runbook'] });
    expect(result.draft.policyResults.map((r) => [r.hook, r.verdict])).toEqual([['acme/opa', 'allow'], ['plugin-failure-guard', 'allow']]);
  });

  it('refuses the action with the reason when the plugin hook throws', () => {
    const ctx = { ...context(), asset: { ...context().asset, labels: { team: 'payments' } } };
    const result = decide(anomaly(), ctx, healerConfig(), NOW);
    expect(result.kind).toBe('final');
    if (result.kind !== 'final') return;
    expect(result.decision.outcome).toBe('denied_policy');
    expect(result.decision.policyResults).toEqual([{ hook: 'acme/opa', verdict: 'deny', reasons: ['plugin acme failed: healer policy hook opa threw: OPA unreachable'] }]);
    expect(result.decision.reasons.join(' ')).toContain('policy acme/opa deny: plugin acme failed: healer policy hook opa threw: OPA unreachable');
  });

  it('refuses the action with the reason when the plugin strategy cannot plan', () => {
    const result = decide(anomaly({ assetId: 'cursed' }), context(), healerConfig(), NOW);
    expect(result.kind).toBe('final');
    if (result.kind !== 'final') return;
    expect(result.decision).toMatchObject({ outcome: 'denied_policy', strategy: null });
    expect(result.decision.policyResults.at(-1)).toEqual({ hook: 'plugin-failure-guard', verdict: 'deny', reasons: ['plugin acme failed: healer strategy drain plan threw: no pool for cursed'] });
  });
});
