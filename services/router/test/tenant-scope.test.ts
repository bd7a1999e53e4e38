import { describe, expect, it } from 'vitest';
import type { AssetEvent, TelemetrySample } from '@maestro/contracts';
import { resolveRouterConfig, routeJob, type RoutingOutcome } from '../src/domain';
import { createRoutingView } from '../src/registry-view';
import { decisionRecordOf } from '../src/routing-records';
import { job } from './domain/fixtures';

const T0 = 1_700_000_000_000;
const config = resolveRouterConfig({ fallbackCount: 3 });
const options = { window: { maxSamples: 5, maxAgeMs: 60_000 }, anomalyTtlMs: 60_000 };

const event = (assetId: string, tenant: string | null, over: Partial<AssetEvent> = {}): AssetEvent => ({
  assetId, change: 'added', kind: 'service', name: null, provider: 'aws', region: 'eu-west-1', capabilities: ['gpu', 'spark'], complianceTags: ['gdpr'],
  labels: {}, sources: [], lastSeenMs: null, atMs: T0, tenant, ...over,
});
const sample = (assetId: string, latency: number, cost: number): TelemetrySample => ({
  assetId, timestampMs: T0, ingestedAtMs: T0, metrics: { latency_ms: latency, error_rate: 0, unit_cost: cost, saturation: 0.2 }, region: null, provider: null, labels: {}, tenant: null,
});

/** Every asset id a decision names anywhere: chosen, runner-up, fallbacks, rejections. */
function named(outcome: RoutingOutcome): string[] {
  const ids = outcome.rejections.list().map((r) => r.assetId);
  if (outcome.outcome === 'routed') ids.push(outcome.chosen.assetId, ...(outcome.runnerUp ? [outcome.runnerUp.assetId] : []), ...outcome.fallbacks.map((f) => f.assetId));
  return ids;
}

/**
 * Two tenants' fleets in one registry. Tenant B's assets are the better ones (cheaper, faster) and
 * some of them fail a filter, so a pool that mixed tenants would route to, rank or list them.
 */
function twoTenantView() {
  const view = createRoutingView(options);
  view.applyAssets([
    event('a-1', 'acme'), event('a-2', 'acme', { region: 'us-east-1', provider: 'gcp' }),
    event('b-1', 'globex'), event('b-2', 'globex', { region: 'us-east-1' }), event('b-3', 'globex', { capabilities: [] }),
    event('u-1', null),
  ]);
  view.applySamples([sample('a-1', 80, 0.6), sample('a-2', 90, 0.7), sample('b-1', 10, 0.1), sample('b-2', 12, 0.1), sample('b-3', 5, 0.05), sample('u-1', 5, 0.05)]);
  return view;
}

describe('routing is scoped to the job\'s tenant', () => {
  it('decides a job only among its tenant\'s assets: chosen, runner-up, fallbacks, rejections and counts', () => {
    const view = twoTenantView();
    const acme = routeJob({ job: job({ jobId: 'j-acme' }), pool: view.poolAt(T0, 'acme'), config, nowMs: T0 });
    expect(acme).toMatchObject({ outcome: 'routed', chosen: { assetId: 'a-1' }, runnerUp: { assetId: 'a-2' }, candidateCount: 2, eligibleCount: 2 });
    expect(new Set(named(acme))).toEqual(new Set(['a-1', 'a-2']));

    const globex = routeJob({ job: job({ jobId: 'j-globex' }), pool: view.poolAt(T0, 'globex'), config, nowMs: T0 });
    expect(globex).toMatchObject({ outcome: 'routed', candidateCount: 3, eligibleCount: 2 });
    expect(named(globex).every((id) => id.startsWith('b-'))).toBe(true);
    expect(named(globex)).toContain('b-3');
  });

  it('refuses a job whose tenant has no asset without naming or counting anyone else\'s', () => {
    const view = twoTenantView();
    const out = routeJob({ job: job({ jobId: 'j-initech' }), pool: view.poolAt(T0, 'initech'), config, nowMs: T0 });
    expect(out).toMatchObject({ outcome: 'refused', cause: 'no_candidates', candidateCount: 0 });
    const record = decisionRecordOf(out, 'batch', 100, 'initech');
    expect(record).toMatchObject({ assetId: null, candidateCount: 0, rejections: [], rejectionsOmitted: 0, rejectionCounts: {} });
    expect(record.reasoning).not.toMatch(/[ab]-\d|u-1/);
  });

  it('gives a job without a tenant the unowned assets only (the default tenant), and theirs to no named tenant', () => {
    const view = twoTenantView();
    expect(view.poolAt(T0, null).assets.map((a) => a.assetId)).toEqual(['u-1']);
    expect(view.poolAt(T0, '  ').assets.map((a) => a.assetId)).toEqual(['u-1']);
    expect(view.poolAt(T0, 'default').assets.map((a) => a.assetId)).toEqual(['u-1']);
    expect(view.poolAt(T0, 'acme').assets.map((a) => a.assetId)).toEqual(['a-1', 'a-2']);
  });

  it('moves an asset whose tenant changes out of the old tenant\'s pool and into the new one\'s', () => {
    const view = twoTenantView();
    const before = view.poolAt(T0, 'acme');
    view.applyAssets([event('b-1', 'acme')]);
    expect(view.poolAt(T0, 'acme').assets.map((a) => a.assetId)).toEqual(['a-1', 'a-2', 'b-1']);
    expect(view.poolAt(T0, 'acme')).not.toBe(before);
    expect(view.poolAt(T0, 'globex').assets.map((a) => a.assetId)).toEqual(['b-2', 'b-3']);
  });

  it('patches performance into the owning tenant\'s pool only', () => {
    const view = twoTenantView();
    const acme = view.poolAt(T0, 'acme');
    const globex = view.poolAt(T0, 'globex');
    view.applySamples([{ ...sample('b-1', 30, 0.1), timestampMs: T0 + 1 }]);
    expect(view.poolAt(T0, 'acme')).toBe(acme);
    const patched = view.poolAt(T0, 'globex');
    expect(patched).not.toBe(globex);
    expect(patched.perf.latencyP95Ms[patched.indexById.get('b-1')!]).toBe(30);
  });
});
