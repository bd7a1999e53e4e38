import { describe, expect, it } from 'vitest';
import type { JobRequest as JobRecord } from '@maestro/contracts';
import { compileCandidatePool, resolveRouterConfig, routeJob, type AssetCandidate } from '../src/domain';
import { auditEntryOf, decisionRecordOf, jobOf, priorityOf } from '../src/routing-records';

const record = (over: Partial<JobRecord> = {}): JobRecord => ({
  jobId: 'j1', jobClass: 'default', capabilities: ['cpu'], complianceTags: [], allowedRegions: [], costCeiling: null, latencyObjectiveMs: null, priority: 0, submittedAtMs: 1, tenant: null, ...over,
});
const candidate = (assetId: string, region: string, over: Partial<AssetCandidate> = {}): AssetCandidate => ({
  assetId, provider: 'aws', region, capabilities: ['cpu'], complianceTags: [], status: 'active',
  performance: { latencyP95Ms: 50, errorRate: 0, unitCost: 0.5, saturation: 0.5, anomalyActive: false, anomalySeverity: 0 }, ...over,
});
const defaults = { costCeiling: 1, latencyObjectiveMs: 200 };
const config = resolveRouterConfig({ fallbackCount: 1 });

describe('priorityOf', () => {
  it.each([[-3, 'low'], [-1, 'low'], [0, 'normal'], [1, 'high'], [2, 'critical'], [9, 'critical']] as const)('%d is %s', (n, expected) => {
    expect(priorityOf(n)).toBe(expected);
  });
});

describe('jobOf', () => {
  it('fills a missing ceiling and objective from the defaults and keeps given ones', () => {
    expect(jobOf(record(), defaults)).toMatchObject({ costCeilingPerUnit: 1, latencyObjectiveMs: 200, priority: 'normal', requiredCapabilities: ['cpu'] });
    expect(jobOf(record({ costCeiling: 0.3, latencyObjectiveMs: 20 }), defaults)).toMatchObject({ costCeilingPerUnit: 0.3, latencyObjectiveMs: 20 });
  });
});

describe('decisionRecordOf', () => {
  it('carries the chosen asset, runner-up, a breakdown that adds up to the score, and fallbacks', () => {
    const pool = compileCandidatePool([candidate('a', 'eu'), candidate('b', 'us', { performance: { ...candidate('b', 'us').performance, latencyP95Ms: 80 } })]);
    const outcome = routeJob({ job: jobOf(record(), defaults), pool, config, nowMs: 5 });
    const r = decisionRecordOf(outcome, 'default', 10, 'acme');
    expect(r).toMatchObject({ tenant: 'acme', outcome: 'routed', assetId: 'a', runnerUpAssetId: 'b', fallbacks: ['b'], eligibleCount: 2, candidateCount: 2, rejectionsOmitted: 0, refusalCause: null, decidedAtMs: 5 });
    expect(Object.values(r.breakdown).reduce((x, y) => x + y, 0)).toBeCloseTo(r.score!, 12);
    expect(r.margin).toBeCloseTo(r.score! - r.runnerUpScore!, 12);
    expect(auditEntryOf(outcome, r)).toMatchObject({ kind: 'routing.decision', outcome: 'routed', subjectId: 'j1' });
  });

  it('bounds the listed rejections and keeps complete counts', () => {
    const pool = compileCandidatePool(Array.from({ length: 30 }, (_, i) => candidate(`x${String(i).padStart(2, '0')}`, 'eu', { capabilities: [] })));
    const outcome = routeJob({ job: jobOf(record(), defaults), pool, config, nowMs: 5 });
    const r = decisionRecordOf(outcome, 'default', 4, null);
    expect(r).toMatchObject({ tenant: null, outcome: 'refused', refusalCause: 'no_eligible_candidate', rejectionsOmitted: 26, rejectionCounts: { missing_capability: 30 } });
    expect(r.rejections.map((x) => x.assetId)).toEqual(['x00', 'x01', 'x02', 'x03']);
    expect(r.rejections[0]!.reasons).toEqual(['missing_capability: missing capability cpu']);
    expect(auditEntryOf(outcome, r)).toMatchObject({ outcome: 'refused', details: { cause: 'no_eligible_candidate', rejectionsOmitted: 26 } });
  });
});
