/**
 * What `tail` shows of each record: which catalog topics a target reads, which records concern an
 * asset, and the one line (or JSON object) per record. Pure: records arrive decoded.
 */
import { topics, type TopicSpec, type ValueOf } from '@maestro/contracts';
import type { tailTargets } from './help';

export type TailTarget = (typeof tailTargets)[number];

/** The catalog topic each target reads; `dlq` reads the dead-letter topic of every topic that has one. */
export const targetSpecs = {
  anomalies: topics.anomalies,
  actions: topics.healingActions,
  results: topics.healingResults,
  decisions: topics.jobsRouted,
  recommendations: topics.recommendations,
  jobs: topics.jobRequests,
  audit: topics.audit,
} as const satisfies Record<Exclude<TailTarget, 'dlq'>, TopicSpec>;

type Spec<T extends keyof typeof targetSpecs> = (typeof targetSpecs)[T];
type DeadLetterValue = ValueOf<TopicSpec<'maestro.bus.DeadLetter'>>;

/** One decoded record, with where it sits on the broker. */
export type TailRecord = { topic: string; partition: number; offset: string; timestampMs: number } & (
  | { target: 'anomalies'; value: ValueOf<Spec<'anomalies'>> }
  | { target: 'actions'; value: ValueOf<Spec<'actions'>> }
  | { target: 'results'; value: ValueOf<Spec<'results'>> }
  | { target: 'decisions'; value: ValueOf<Spec<'decisions'>> }
  | { target: 'recommendations'; value: ValueOf<Spec<'recommendations'>> }
  | { target: 'jobs'; value: ValueOf<Spec<'jobs'>> }
  | { target: 'audit'; value: ValueOf<Spec<'audit'>> }
  | { target: 'dlq'; value: DeadLetterValue }
);

/** Whether a record concerns the asset: its own, a routing decision's chosen or candidate asset, an audit subject, a dead letter's key. */
export function concernsAsset(record: TailRecord, assetId: string): boolean {
  switch (record.target) {
    case 'decisions': {
      const d = record.value;
      return d.assetId === assetId || d.runnerUpAssetId === assetId || d.fallbacks.includes(assetId) || d.rejections.some((r) => r.assetId === assetId);
    }
    case 'jobs':
      return false;
    case 'audit':
      return record.value.subjectId === assetId;
    case 'dlq':
      return record.value.key?.toString('utf8') === assetId;
    default:
      return record.value.assetId === assetId;
  }
}

/** The record's own time (detected, decided, finished, submitted, failed), epoch ms. */
export function recordTimeMs(record: TailRecord): number {
  switch (record.target) {
    case 'anomalies': return record.value.detectedAtMs;
    case 'actions':
    case 'decisions':
    case 'recommendations': return record.value.decidedAtMs;
    case 'results': return record.value.finishedAtMs;
    case 'jobs': return record.value.submittedAtMs;
    case 'audit': return record.value.atMs;
    case 'dlq': return record.value.failedAtMs;
  }
}

function pairs(values: Record<string, number | string>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${typeof v === 'number' ? round(v) : v}`).join(' ');
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3).replace(/\.?0+$/, '');
}

/** The three columns after the time: subject, what happened, why. */
function columns(record: TailRecord): [string, string, string] {
  switch (record.target) {
    case 'anomalies': {
      const a = record.value;
      return [a.assetId, `${a.kind} severity ${round(a.severity)}`, `${a.metric}=${round(a.value)} score ${round(a.score)} ${pairs(a.evidence)}`.trim()];
    }
    case 'actions': {
      const a = record.value;
      return [a.assetId, `${a.strategy}${a.dryRun ? ' (dry run)' : ''} attempt ${a.attempt}`, [...a.reasons, pairs(a.params)].filter(Boolean).join('; ')];
    }
    case 'results': {
      const r = record.value;
      return [r.assetId, `${r.status} ${r.actionId}`, [r.detail, r.errorCode && `${r.errorCode}: ${r.error}`, `${r.durationMs} ms, ${r.attempts} attempt(s) by ${r.runner}`].filter(Boolean).join('; ')];
    }
    case 'decisions': {
      const d = record.value;
      const chosen = d.assetId ? ` → ${d.assetId}${d.score === null ? '' : ` score ${round(d.score)}`}` : '';
      const rejected = d.rejections.map((r) => `${r.assetId}: ${r.reasons.join(', ')}`).join('; ');
      return [d.assetId ?? '-', `${d.outcome} job ${d.jobId} (${d.jobClass})${chosen}`, [d.reasoning, rejected && `rejected ${rejected}`].filter(Boolean).join('; ')];
    }
    case 'recommendations': {
      const r = record.value;
      const replicas = r.currentReplicas !== null && r.targetReplicas !== null ? ` ${r.currentReplicas}→${r.targetReplicas}` : '';
      return [r.assetId, `${r.action}${replicas}${r.targetSize ? ` size ${r.targetSize}` : ''} confidence ${round(r.confidence)}`, r.rationale];
    }
    case 'jobs': {
      const j = record.value;
      const wants = [j.allowedRegions.length > 0 && `regions ${j.allowedRegions.join(',')}`, j.capabilities.length > 0 && `capabilities ${j.capabilities.join(',')}`,
        j.complianceTags.length > 0 && `compliance ${j.complianceTags.join(',')}`, j.costCeiling !== null && `cost ≤ ${j.costCeiling}`,
        j.latencyObjectiveMs !== null && `latency ≤ ${j.latencyObjectiveMs} ms`].filter(Boolean).join('; ');
      return [j.jobId, `job ${j.jobClass} priority ${j.priority}`, wants];
    }
    case 'audit': {
      const a = record.value;
      return [a.subjectId, `${a.service} ${a.kind} ${a.outcome}`, a.reasons.join('; ')];
    }
    case 'dlq': {
      const d = record.value;
      return [d.key?.toString('utf8') ?? '-', `${d.errorCode} ${d.sourceTopic}[${d.sourcePartition}]@${d.sourceOffset}`, `${d.reason} (group ${d.consumerGroup})`];
    }
  }
}

/** One human-readable line: time, subject, kind/severity or strategy/outcome, reasons. */
export function formatLine(record: TailRecord): string {
  const [subject, what, why] = columns(record);
  return `${new Date(recordTimeMs(record)).toISOString()}  ${subject}  ${what}${why ? `  ${why}` : ''}`;
}

/** One JSON object: where the record sits and its value (a dead letter's bytes as UTF-8 when they are text, else base64). */
export function formatJson(record: TailRecord): string {
  const { target, topic, partition, offset, timestampMs, value } = record;
  return JSON.stringify({ target, topic, partition, offset, timestampMs, value }, (_key, v: unknown) => {
    if (isSerialisedBuffer(v)) return bytesText(Buffer.from(v.data));
    return v;
  });
}

function isSerialisedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}

function bytesText(bytes: Buffer): string | { base64: string } {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? text : { base64: bytes.toString('base64') };
}
