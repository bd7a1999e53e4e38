import { describe, expect, it } from 'vitest';
import type { Anomaly, AuditRecord, DeadLetter, ExecutionRecord, HealingResult, PlanState, RoutingDecision } from '@maestro/contracts';
import { DEFAULT_TENANT, MAX_DEAD_LETTER_BYTES, MAX_STATE_CHARS, ownedSubject, ownerLookup, projectRecord, projectSample, tenantOf, type ProjectableRecord } from '../../src/domain';

const origin = { topic: 'anomalies', partition: 2, offset: '41' };

const anomaly = {
  anomalyId: 'a1:latency_ms:1000', assetId: 'a1', metric: 'latency_ms', kind: 'spike', severity: 0.8, score: 0.93, value: 900,
  sampleTimestampMs: 1_000, detectedAtMs: 1_050, evidence: { baseline: 40 }, tenant: 'acme',
} as Partial<Anomaly> as Anomaly; // the fields the read model reads; fields added later do not matter here

const routing: RoutingDecision = {
  jobId: 'j1', outcome: 'routed', assetId: 'a2', score: 0.8, margin: 0.1, breakdown: { cost: 0.5 }, fallbacks: ['a3', 'a2'],
  rejections: [{ assetId: 'a4', reasons: ['region'] }], reasoning: 'best score', jobClass: 'batch', runnerUpAssetId: 'a3', runnerUpScore: 0.7,
  candidateCount: 4, eligibleCount: 3, rejectionCounts: { region: 1 }, rejectionsOmitted: 0, refusalCause: null, decidedAtMs: 2_000, tenant: null,
};

describe('projectRecord', () => {
  it('keys an event by topic, partition and offset, so a rebuild makes the same id', () => {
    expect(projectRecord({ kind: 'anomaly', value: anomaly }, origin).id).toBe('anomalies:2:41');
  });

  it('projects an anomaly with its tenant, time, asset and severity', () => {
    const e = projectRecord({ kind: 'anomaly', value: anomaly }, origin);
    expect(e).toMatchObject({ kind: 'anomaly', tenant: 'acme', atMs: 1_050, assetId: 'a1', assetIds: ['a1'], jobId: null, severity: 0.8 });
    expect(e.summary).toContain('spike on a1 latency_ms');
    expect(e.record).toEqual(anomaly);
  });

  it('indexes a routing decision under every asset it involved, the chosen one first, each once', () => {
    const e = projectRecord({ kind: 'routing', value: routing }, { topic: 'jobs.routed', partition: 0, offset: '1' });
    expect(e.assetIds).toEqual(['a2', 'a3', 'a4']);
    expect(e).toMatchObject({ jobId: 'j1', tenant: DEFAULT_TENANT, assetId: 'a2', severity: null });
  });

  it('summarises a refused routing decision with its cause, and a failed result with its detail', () => {
    const refused = projectRecord({ kind: 'routing', value: { ...routing, outcome: 'refused', assetId: null, score: null, refusalCause: 'no candidate offers gpu' } }, origin);
    expect(refused.summary).toBe('job j1 refused: no candidate offers gpu');
    expect(refused.assetIds).toEqual(['a3', 'a2', 'a4']);
    const result = projectRecord({ kind: 'result', value: { actionId: 'act-1', assetId: 'a1', status: 'failed', detail: 'exit 1', finishedAtMs: 6, tenant: 'acme' } as Partial<HealingResult> as HealingResult }, origin);
    expect(result.summary).toBe('action act-1 on a1 failed: exit 1');
  });

  it('reads an audit record\'s tenant from its details, and indexes it under its subject', () => {
    const audit: AuditRecord = { auditId: 'x', service: 'healer', kind: 'healing.decision', outcome: 'act', subjectId: 'a1', reasons: ['spike'], detailsJson: '{"tenant":"acme"}', traceparent: null, atMs: 5 };
    expect(projectRecord({ kind: 'audit', value: audit }, origin)).toMatchObject({ tenant: 'acme', assetIds: ['a1'], atMs: 5 });
    expect(projectRecord({ kind: 'audit', value: { ...audit, detailsJson: 'not json' } }, origin).tenant).toBe(DEFAULT_TENANT);
    expect(projectRecord({ kind: 'audit', value: audit }, origin).jobId).toBeNull();
    expect(projectRecord({ kind: 'audit', value: { ...audit, kind: 'routing.decision', subjectId: 'j1' } }, origin).jobId).toBe('j1');
  });

  it('gives an audit record without a tenant, and a dead letter, the tenant that owns its subject', () => {
    const owners = new Map([['a1', 'acme']]);
    const audit: AuditRecord = { auditId: 'x', service: 'healer', kind: 'healing.decision', outcome: 'act', subjectId: 'a1', reasons: [], detailsJson: '{}', traceparent: null, atMs: 5 };
    expect(ownerLookup({ kind: 'audit', value: audit })).toBe('a1');
    expect(projectRecord({ kind: 'audit', value: audit }, origin, owners).tenant).toBe('acme');
    expect(projectRecord({ kind: 'audit', value: { ...audit, subjectId: 'a2' } }, origin, owners).tenant).toBe(DEFAULT_TENANT);
    const letter: DeadLetter = { sourceTopic: 't', sourcePartition: 0, sourceOffset: '1', key: Buffer.from('a1'), value: null, headers: [], errorCode: 'X', reason: 'r', consumerGroup: 'g', failedAtMs: 1 };
    expect(projectRecord({ kind: 'dead_letter', value: letter }, origin, owners).tenant).toBe('acme');
  });

  it('makes a tenant the owner of the asset, job or charter its record is about, never of a routing decision\'s candidates', () => {
    const a = { kind: 'anomaly', value: anomaly } as const;
    expect(ownedSubject(a, projectRecord(a, origin))).toBe('a1');
    const r = { kind: 'routing', value: routing } as const;
    expect(ownedSubject(r, projectRecord(r, origin))).toBe('j1');
  });

  it('bounds a plan\'s state: a large one is replaced by its length', () => {
    const plan: PlanState = { key: 'c1', kind: 'charter', charterId: 'c1', goalId: null, version: null, tenant: 'acme', revision: 3, status: 'active', updatedAtMs: 9, stateJson: 'x'.repeat(MAX_STATE_CHARS + 1) };
    const e = projectRecord({ kind: 'plan', value: plan }, origin);
    expect(e.record).toMatchObject({ stateJson: null, stateChars: MAX_STATE_CHARS + 1 });
    expect(projectRecord({ kind: 'plan', value: { ...plan, stateJson: '{}' } }, origin).record).toMatchObject({ stateJson: '{}' });
  });

  it('keeps a dead letter\'s bytes as bounded base64 in the default tenant', () => {
    const letter: DeadLetter = {
      sourceTopic: 'p.anomalies', sourcePartition: 1, sourceOffset: '7', key: Buffer.from('a1'), value: Buffer.alloc(MAX_DEAD_LETTER_BYTES + 10, 1),
      headers: [{ name: 'h', value: null }], errorCode: 'DECODE_FAILED', reason: 'bad', consumerGroup: 'g', failedAtMs: 11,
    };
    const e = projectRecord({ kind: 'dead_letter', value: letter }, origin);
    expect(e.tenant).toBe(DEFAULT_TENANT);
    expect(e.record.key).toEqual({ base64: Buffer.from('a1').toString('base64'), length: 2, truncated: false });
    expect(e.record.value).toMatchObject({ length: MAX_DEAD_LETTER_BYTES + 10, truncated: true });
    expect(JSON.parse(JSON.stringify(e)).record.headers).toEqual([{ name: 'h', value: { base64: null, length: 0, truncated: false } }]);
  });

  it.each<[ProjectableRecord, number]>([
    [{ kind: 'asset', value: { assetId: 'a', change: 'added', kind: 'service', name: null, provider: 'aws', region: 'eu', capabilities: [], complianceTags: [], labels: {}, sources: [], lastSeenMs: null, atMs: 1, tenant: 't' } }, 1],
    [{ kind: 'action', value: { actionId: 'x', anomalyId: 'y', assetId: 'a', strategy: 'restart', params: {}, dryRun: true, attempt: 1, decidedAtMs: 2, reasons: [], tenant: 't' } }, 2],
    [{ kind: 'recommendation', value: { assetId: 'a', action: 'scale_out', currentReplicas: 2, targetReplicas: 4, targetSize: null, confidence: 0.5, rationale: 'r', evidence: {}, decidedAtMs: 3, tenant: 't', forecastLoad: null, forecastLower: null, forecastUpper: null, forecastHorizonMs: null, forecastSeasonality: null } }, 3],
    [{ kind: 'job', value: { jobId: 'j', jobClass: 'batch', capabilities: [], complianceTags: [], allowedRegions: [], costCeiling: null, latencyObjectiveMs: null, priority: 1, submittedAtMs: 4, tenant: 't' } }, 4],
    // Only the fields the projection reads: the execution record's other fields change with the dispatcher.
    [{ kind: 'execution', value: { charterId: 'c', tenant: 't', revision: 1, running: 1, completed: 0, updatedAtMs: 5, stateJson: '{}' } as unknown as ExecutionRecord }, 5],
    [{ kind: 'result', value: { actionId: 'x', assetId: 'a', status: 'failed', detail: 'exit 1', finishedAtMs: 6, tenant: 't' } as Partial<HealingResult> as HealingResult }, 6],
  ])('takes the event time of a $0.kind from its own field', (input, atMs) => {
    const e = projectRecord(input, origin);
    expect(e.kind).toBe(input.kind);
    expect(e.atMs).toBe(atMs);
    expect(e.tenant).toBe('t');
  });
});

describe('tenantOf', () => {
  it.each([[null, DEFAULT_TENANT], [undefined, DEFAULT_TENANT], ['  ', DEFAULT_TENANT], ['acme', 'acme']])('%s → %s', (tenant, expected) => {
    expect(tenantOf({ tenant })).toBe(expected);
  });
});

describe('projectSample', () => {
  it('keeps the asset\'s metric values at the sample\'s time', () => {
    expect(projectSample({ assetId: 'a', timestampMs: 7, ingestedAtMs: 8, metrics: { cpu_percent: 5 }, region: null, provider: null, labels: {}, tenant: null }))
      .toEqual({ tenant: DEFAULT_TENANT, assetId: 'a', timestampMs: 7, metrics: { cpu_percent: 5 } });
  });
});
