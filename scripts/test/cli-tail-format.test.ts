/** What `tail` prints for each kind of record, and which records concern an asset. */
import { describe, expect, it } from 'vitest';
import type { AuditRecord, DeadLetter, HealingAction, HealingResult, JobRequest, Recommendation, RoutingDecision } from '@maestro/contracts';
import { concernsAsset, formatJson, formatLine, type TailRecord } from '../cli/tail-format';
import { formatRoutingDecision } from '../cli/routing-format';

const at = Date.UTC(2026, 11, 4, 22, 0, 0);
const where = { topic: 't', partition: 0, offset: '5', timestampMs: at };

const decision: RoutingDecision = {
  jobId: 'j-1', outcome: 'routed', assetId: 'gpu-eu-1', score: 0.8123, margin: 0.1, breakdown: { latency: 0.5, cost: 0.3123 }, fallbacks: ['gpu-eu-3'],
  rejections: [{ assetId: 'gpu-us-1', reasons: ['region us-east-1 not allowed'] }, { assetId: 'gpu-eu-2', reasons: ['unhealthy', 'open anomaly'] }],
  reasoning: 'best score', jobClass: 'batch', runnerUpAssetId: 'gpu-eu-3', runnerUpScore: 0.7, candidateCount: 4, eligibleCount: 2,
  rejectionCounts: { region: 1, health: 1 }, rejectionsOmitted: 0, refusalCause: null, decidedAtMs: at, tenant: 'acme',
};
const action: HealingAction = { actionId: 'act-1', anomalyId: 'an-1', assetId: 'db-1', strategy: 'restart', params: { grace: '30s' }, dryRun: true, attempt: 2, decidedAtMs: at, reasons: ['spike on latency_ms', 'cooldown passed'], tenant: null };
const result: HealingResult = { actionId: 'act-1', assetId: 'db-1', status: 'failed', detail: 'exit 1', finishedAtMs: at, runner: 'shell', durationMs: 120, attempts: 3, output: '', errorCode: 'EXEC_FAILED', error: 'no such unit', tenant: null };
const recommendation: Recommendation = { assetId: 'web-1', action: 'scale_out', currentReplicas: 2, targetReplicas: 4, targetSize: null, confidence: 0.9, rationale: 'cpu 85% over 10m', evidence: {}, decidedAtMs: at, tenant: null, forecastLoad: null, forecastLower: null, forecastUpper: null, forecastHorizonMs: null, forecastSeasonality: null };
const job: JobRequest = { jobId: 'j-1', jobClass: 'batch', capabilities: ['gpu'], complianceTags: [], allowedRegions: ['eu-west-1'], costCeiling: 3, latencyObjectiveMs: null, priority: 5, submittedAtMs: at, tenant: null };
const audit: AuditRecord = { auditId: 'au-1', service: 'healer', kind: 'healing_decision', outcome: 'suppressed', subjectId: 'db-1', reasons: ['cooldown until 22:05'], detailsJson: '{}', traceparent: null, atMs: at };
const letter: DeadLetter = {
  sourceTopic: 'p.anomalies', sourcePartition: 2, sourceOffset: '41', key: Buffer.from('db-1'), value: Buffer.from([0, 0xff, 0xfe]), headers: [{ name: 'h', value: Buffer.from('v') }],
  errorCode: 'DECODE_FAILED', reason: 'bad magic byte', consumerGroup: 'p.healer', failedAtMs: at,
};

describe('formatLine', () => {
  it.each<[string, TailRecord, string]>([
    ['a healing action', { ...where, target: 'actions', value: action }, 'db-1  restart (dry run) attempt 2  spike on latency_ms; cooldown passed; grace=30s'],
    ['a healing result', { ...where, target: 'results', value: result }, 'db-1  failed act-1  exit 1; EXEC_FAILED: no such unit; 120 ms, 3 attempt(s) by shell'],
    ['a routing decision', { ...where, target: 'decisions', value: decision }, 'gpu-eu-1  routed job j-1 (batch) → gpu-eu-1 score 0.812  best score; rejected gpu-us-1: region us-east-1 not allowed; gpu-eu-2: unhealthy, open anomaly'],
    ['a recommendation', { ...where, target: 'recommendations', value: recommendation }, 'web-1  scale_out 2→4 confidence 0.9  cpu 85% over 10m'],
    ['a job request', { ...where, target: 'jobs', value: job }, 'j-1  job batch priority 5  regions eu-west-1; capabilities gpu; cost ≤ 3'],
    ['an audit record', { ...where, target: 'audit', value: audit }, 'db-1  healer healing_decision suppressed  cooldown until 22:05'],
    ['a dead letter', { ...where, target: 'dlq', value: letter }, 'db-1  DECODE_FAILED p.anomalies[2]@41  bad magic byte (group p.healer)'],
  ])('shows %s with its time, subject, what and why', (_what, record, rest) => {
    expect(formatLine(record)).toBe(`2026-12-04T22:00:00.000Z  ${rest}`);
  });
});

describe('formatJson', () => {
  it('keeps where the record sits, and shows bytes as text when they are text, else base64', () => {
    const json = JSON.parse(formatJson({ ...where, target: 'dlq', value: letter })) as { offset: string; value: { key: unknown; value: unknown; headers: unknown } };
    expect(json).toMatchObject({ offset: '5', value: { key: 'db-1', value: { base64: Buffer.from([0, 0xff, 0xfe]).toString('base64') }, headers: [{ name: 'h', value: 'v' }] } });
  });
});

describe('concernsAsset', () => {
  it('matches a routing decision by its chosen, runner-up, fallback or rejected asset', () => {
    const record: TailRecord = { ...where, target: 'decisions', value: decision };
    for (const asset of ['gpu-eu-1', 'gpu-eu-3', 'gpu-us-1', 'gpu-eu-2']) expect(concernsAsset(record, asset), asset).toBe(true);
    expect(concernsAsset(record, 'gpu-eu-9')).toBe(false);
  });

  it('matches an audit record by subject and a dead letter by key', () => {
    expect(concernsAsset({ ...where, target: 'audit', value: audit }, 'db-1')).toBe(true);
    expect(concernsAsset({ ...where, target: 'dlq', value: letter }, 'db-1')).toBe(true);
    expect(concernsAsset({ ...where, target: 'dlq', value: { ...letter, key: null } }, 'db-1')).toBe(false);
    expect(concernsAsset({ ...where, target: 'actions', value: action }, 'db-2')).toBe(false);
  });
});

describe('formatRoutingDecision', () => {
  it('lists the score by term, the runner-up and every rejected candidate with its reasons', () => {
    expect(formatRoutingDecision(decision)).toEqual([
      'job j-1 (batch): routed → gpu-eu-1 score 0.812 margin 0.100',
      '  reasoning: best score',
      '  candidates: 4, eligible: 2',
      '  gpu-eu-1 score by term:',
      '    latency          0.500',
      '    cost             0.312',
      '  runner-up: gpu-eu-3 score 0.700',
      '  fallbacks: gpu-eu-3',
      '  rejected:',
      '    gpu-us-1  region us-east-1 not allowed',
      '    gpu-eu-2  unhealthy; open anomaly',
    ]);
  });

  it('says why a refused job was refused and how many rejections were left out', () => {
    const refused = formatRoutingDecision({ ...decision, outcome: 'refused', assetId: null, score: null, margin: null, refusalCause: 'no eligible asset', rejectionsOmitted: 40, rejectionCounts: { region: 41, health: 1 } });
    expect(refused[0]).toBe('job j-1 (batch): refused');
    expect(refused).toContain('  refused: no eligible asset');
    expect(refused.at(-1)).toBe('    … and 40 more (region: 41, health: 1)');
  });
});
