import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { definePlugin, defineRunner, type HealerPolicyContext, type PluginDefinition, type RouterPolicyContext, type StrategyContext } from '../src/index';
import {
  createContainment, createFailureRecorder, discoverySources, gatewayPolicyHooks, healerExtensions, PLUGIN_FAILURE_PARAM, routerPolicyHooks, runnerTypes, signalMeter,
  type PluginFailure,
} from '../src/host/index';
import type { AuditEntry } from '@maestro/runtime';

const failures: PluginFailure[] = [];
// A generous budget: these tests are about answers, not speed, and must not fail on a busy machine.
const containment = createContainment({ timeoutMs: 5_000, onFailure: (f) => failures.push(f) });

const anomaly = { anomalyId: 'an-1', assetId: 'db-1', metric: 'latency_ms', kind: 'spike', severity: 0.9, evidence: { zScore: 6, baselineMean: 40, baselineStd: 5 }, detectedAtMs: 1_000 };
const asset = { assetId: 'db-1', labels: { frozen: 'true' } };
const strategyCtx: StrategyContext = { anomaly, asset, history: [], nowMs: 2_000 };
const policyCtx = (params: Record<string, string> = {}): HealerPolicyContext => ({ anomaly, asset, history: [], proposal: { strategy: 'drain', params }, step: 0, escalation: false, mode: 'live', nowMs: 2_000 });
const recovery = { metric: 'latency_ms', withinMs: 60_000, condition: { op: 'at_most' as const, threshold: 50, sustainedSamples: 3 } };

const healerPlugin = definePlugin({
  name: 'acme',
  version: '1.0.0',
  strategies: [
    { name: 'drain', ladders: { spike: 'first', drift: 'before_runbook' }, appliesTo: () => true, plan: () => ({ strategy: 'drain', params: { pool: 'blue' }, expectedRecovery: recovery }) },
    { name: 'broken', appliesTo: () => { throw new Error('no kind table'); }, plan: () => { throw new Error('no plan today'); } },
  ],
  policyHooks: {
    healer: [
      { name: 'frozen', evaluate: (ctx) => (ctx.asset.labels.frozen === 'true' ? { verdict: 'deny', reasons: ['frozen'] } : { verdict: 'allow' }) },
      { name: 'throws', evaluate: () => { throw new Error('OPA unreachable'); } },
    ],
  },
});

describe('healer extensions', () => {
  const ext = healerExtensions([healerPlugin], containment);
  const [drain, broken] = ext.strategies;

  it('places plugin strategies in the ladders they ask for, leaving other kinds alone', () => {
    const base = { spike: [{ minSeverity: 0.3, steps: ['throttle', 'runbook'] }], drift: [{ minSeverity: 0.3, steps: ['rebalance', 'runbook'] }], drop: [{ minSeverity: 0.3, steps: ['restart'] }] };
    expect(ext.ladders(base)).toEqual({
      spike: [{ minSeverity: 0.3, steps: ['drain', 'throttle', 'runbook'] }],
      drift: [{ minSeverity: 0.3, steps: ['rebalance', 'drain', 'runbook'] }],
      drop: [{ minSeverity: 0.3, steps: ['restart'] }],
    });
  });

  it('marks a plugin plan with the plugin that made it', () => {
    expect(drain!.plan(strategyCtx).params).toEqual({ pool: 'blue', 'maestro.plugin': 'acme' });
  });

  it('skips the rung of a strategy whose appliesTo throws, and records it', () => {
    failures.length = 0;
    expect(broken!.appliesTo('spike', 0.9)).toBe(false);
    expect(failures[0]).toMatchObject({ plugin: 'acme', point: 'healer strategy broken appliesTo', kind: 'threw' });
  });

  it('turns a failed plan into a proposal the guard denies with the reason', () => {
    const plan = broken!.plan(strategyCtx);
    expect(plan.params[PLUGIN_FAILURE_PARAM]).toBe('plugin acme failed: healer strategy broken plan threw: no plan today');
    const guard = ext.policyHooks.at(-1)!;
    expect(guard.name).toBe('plugin-failure-guard');
    expect(guard.evaluate({ ...policyCtx(), proposal: { strategy: 'broken', params: plan.params } })).toEqual({ verdict: 'deny', reasons: ['plugin acme failed: healer strategy broken plan threw: no plan today'] });
    expect(guard.evaluate(policyCtx())).toEqual({ verdict: 'allow' });
  });

  it('names hooks after their plugin, and denies with the reason when one throws', () => {
    const [frozen, throws] = ext.policyHooks;
    expect(frozen!.name).toBe('acme/frozen');
    expect(frozen!.evaluate(policyCtx())).toEqual({ verdict: 'deny', reasons: ['frozen'] });
    expect(throws!.evaluate(policyCtx())).toEqual({ verdict: 'deny', reasons: ['plugin acme failed: healer policy hook throws threw: OPA unreachable'] });
  });

  it('refuses a deny without reasons: the audit record must say why', () => {
    const silent = healerExtensions([definePlugin({ name: 'x', version: '1', policyHooks: { healer: [{ name: 'mute', evaluate: () => ({ verdict: 'deny', reasons: [] }) }] } })], containment);
    expect(silent.policyHooks[0]!.evaluate(policyCtx())).toEqual({ verdict: 'deny', reasons: ['plugin x failed: healer policy hook mute answered wrongly: a deny must give its reasons'] });
  });
});

describe('router and gateway hooks', () => {
  const candidate = { assetId: 'a', provider: 'aws', region: 'eu', capabilities: [], complianceTags: ['frozen'], status: 'active', performance: { latencyP95Ms: 1, errorRate: 0, unitCost: 1, saturation: 0.1, anomalyActive: false, anomalySeverity: 0 } };
  const routerCtx: RouterPolicyContext = { job: { jobId: 'j', jobClass: 'batch', requiredCapabilities: [], complianceTags: [], allowedRegions: [], costCeilingPerUnit: 1, latencyObjectiveMs: 100, priority: 'normal' }, candidate, baseScore: 0.5, nowMs: 0 };
  const plugin: PluginDefinition = definePlugin({
    name: 'rules', version: '1',
    policyHooks: {
      router: [{ name: 'nan', evaluate: () => ({ verdict: 'adjust', reasons: ['?'], scoreDelta: Number.NaN }) }, { name: 'prefer', evaluate: () => ({ verdict: 'adjust', reasons: ['preferred'], scoreDelta: 0.1 }) }],
      gateway: [{ name: 'throws', evaluate: () => { throw new TypeError('payload.steps is undefined'); } }],
    },
  });

  it('router: passes good answers, denies bad ones naming the plugin', () => {
    const [nan, prefer] = routerPolicyHooks([plugin], containment);
    expect(prefer!.evaluate(routerCtx)).toEqual({ verdict: 'adjust', reasons: ['preferred'], scoreDelta: 0.1 });
    expect(nan!.name).toBe('rules/nan');
    expect(nan!.evaluate(routerCtx)).toMatchObject({ verdict: 'deny', reasons: [expect.stringMatching(/^plugin rules failed: router policy hook nan answered wrongly: an adjust needs a finite scoreDelta/)] });
  });

  it('gateway: a throwing hook denies with its reason', () => {
    const [hook] = gatewayPolicyHooks([plugin], containment);
    const ctx = { operation: { name: 'goal.refine', capability: 'map.maestro.refine' }, principal: { caller: 'c', tenant: 't', capabilities: [] }, payload: {}, payloadBytes: 2, nowMs: 0 };
    expect(hook!.evaluate(ctx)).toEqual({ allow: false, reasons: ['plugin rules failed: gateway policy hook throws threw: payload.steps is undefined'] });
  });
});

describe('asynchronous extension points', () => {
  const request = { actionId: 'an-1#0', anomalyId: 'an-1', assetId: 'db-1', strategy: 'restart', attempt: 1, decidedAtMs: 0, reasons: [], params: {}, tenant: null };
  const plugin = definePlugin({
    name: 'io', version: '1',
    runners: [
      { type: 'hangs', timeoutMs: 30, run: () => new Promise<never>(() => undefined) },
      defineRunner({ type: 'echo', configure: (s) => { if (typeof s.target !== 'string') throw new Error('target is required'); return { target: s.target }; }, run: async (r, { settings }) => ({ status: 'succeeded', detail: `${r.assetId} → ${settings.target}` }) }),
    ],
    discoveryProviders: [{ name: 'cmdb', list: async () => [{ assetId: 'db-1' }] }, { name: 'slow', precedence: 10, list: () => new Promise<never>(() => undefined) }],
    optimisationSignals: [
      { name: 'queue', measure: (s) => ({ value: s.metrics.queue_depth ?? 0, target: 10 }) },
      { name: 'broken', measure: async () => { throw new Error('no broker'); } },
      { name: 'silent', measure: () => null },
    ],
  });

  it('runners: a hanging run times out; settings are checked at boot, naming the plugin', async () => {
    const [hangs, echo] = runnerTypes([plugin], containment);
    expect(await hangs!.run(request, {}, 'k')).toMatchObject({ ok: false, failure: { kind: 'timed_out', reason: 'plugin io failed: runner hangs run did not answer within 30 ms' } });
    expect(() => echo!.configure({})).toThrow('plugin io refused the settings of its runner type echo: target is required');
    expect(await echo!.run(request, echo!.configure({ target: 'blue' }), 'k')).toEqual({ ok: true, value: { status: 'succeeded', detail: 'db-1 → blue' } });
  });

  it('discovery: sources are named after their plugin; a hanging one fails at its deadline', async () => {
    const [cmdb, slow] = discoverySources([plugin], containment);
    expect(cmdb).toMatchObject({ name: 'io.cmdb', precedence: 150 });
    expect(await cmdb!.poll(0, 5_000)).toEqual({ ok: true, value: [{ assetId: 'db-1' }] });
    expect(await slow!.poll(0, 20)).toMatchObject({ ok: false, failure: { kind: 'timed_out' } });
  });

  it('signals: good readings are named after their plugin, a failed one is left out', async () => {
    const meter = signalMeter([plugin], containment)!;
    const sample = { assetId: 'q-1', timestampMs: 0, metrics: { queue_depth: 30 }, labels: {}, region: null, provider: null };
    expect(await meter(sample)).toEqual([{ name: 'io/queue', value: 30, target: 10, weight: 1 }]);
    expect(signalMeter([], containment)).toBeNull();
  });
});

describe('failure recorder', () => {
  it('counts every failure and audits one per plugin, point and kind per window, saying how many it left out', async () => {
    const metrics = new Registry();
    const audits: AuditEntry[] = [];
    let nowMs = 0;
    const recorder = createFailureRecorder({ metrics, audit: async (e) => { audits.push(...e); }, logger: { warn: () => undefined }, now: () => nowMs, auditEveryMs: 1_000 });
    const failure: PluginFailure = { plugin: 'acme', point: 'router policy hook h', kind: 'threw', reason: 'plugin acme failed: router policy hook h threw: boom' };
    for (let i = 0; i < 5; i++) recorder.record(failure);
    nowMs = 1_500;
    recorder.record(failure);
    expect(audits).toEqual([
      { kind: 'plugin.failure', outcome: 'threw', subjectId: 'acme', reasons: [failure.reason], details: { plugin: 'acme', point: 'router policy hook h', kind: 'threw', leftOut: 0 } },
      { kind: 'plugin.failure', outcome: 'threw', subjectId: 'acme', reasons: [failure.reason, '4 more failure(s) of this kind since the last record'], details: { plugin: 'acme', point: 'router policy hook h', kind: 'threw', leftOut: 4 } },
    ]);
    expect(await metrics.getSingleMetricAsString('maestro_plugin_failures_total')).toContain('maestro_plugin_failures_total{plugin="acme",point="router policy hook h",kind="threw"} 6');
  });
});
