/**
 * Projection of every decision topic's record into the read model's event: pure, so the projector,
 * the unit tests and a replay all build the same view from the same records. The record is kept
 * whole except for what could make one event megabytes: a plan's or execution's state JSON (kept up
 * to MAX_STATE_CHARS, else replaced by its length) and a dead letter's original bytes (base64, up to
 * MAX_DEAD_LETTER_BYTES each). Records that carry no tenant belong to DEFAULT_TENANT, except audit
 * records and dead letters, which belong to the tenant of their subject when it is known (Owners).
 */
import type {
  Anomaly, AssetEvent, AuditRecord, DeadLetter, ExecutionRecord, HealingAction, HealingResult, JobRequest, PlanState,
  Recommendation, RoutingDecision, TelemetrySample,
} from '@maestro/contracts';
import { DEFAULT_TENANT, type EventKind, type ProjectedEvent, type ProjectedSample } from './event';

/** Audit kinds whose subject is a job id (the router's decisions, the gateway's submissions): they join the job's story. */
const JOB_AUDIT = /^(routing|job)\./;

/** Longest plan or execution state kept in an event. */
export const MAX_STATE_CHARS = 65_536;
/** Most bytes of a dead letter's original key or value kept (as base64). */
export const MAX_DEAD_LETTER_BYTES = 4_096;

/** Where a record came from: its topic (catalog name, without the deployment prefix), partition and offset. */
export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The record types the projector reads, by what it makes of them. */
export type ProjectableRecord =
  | { readonly kind: 'asset'; readonly value: AssetEvent }
  | { readonly kind: 'anomaly'; readonly value: Anomaly }
  | { readonly kind: 'action'; readonly value: HealingAction }
  | { readonly kind: 'result'; readonly value: HealingResult }
  | { readonly kind: 'recommendation'; readonly value: Recommendation }
  | { readonly kind: 'job'; readonly value: JobRequest }
  | { readonly kind: 'routing'; readonly value: RoutingDecision }
  | { readonly kind: 'plan'; readonly value: PlanState }
  | { readonly kind: 'execution'; readonly value: ExecutionRecord }
  | { readonly kind: 'audit'; readonly value: AuditRecord }
  | { readonly kind: 'dead_letter'; readonly value: DeadLetter };

/** The tenant of a record: its own field when set and not blank, else DEFAULT_TENANT. */
export function tenantOf(value: { tenant?: string | null }): string {
  const t = value.tenant?.trim();
  return t ? t : DEFAULT_TENANT;
}

/** The id of an event: unique per source record, the same on every rebuild. */
export function eventId(origin: RecordOrigin): string {
  return `${origin.topic}:${origin.partition}:${origin.offset}`;
}

function bounded(state: string): Record<string, unknown> {
  return state.length <= MAX_STATE_CHARS ? { stateJson: state } : { stateJson: null, stateChars: state.length, stateOmitted: `over ${MAX_STATE_CHARS} characters; read it through the protocol's query operations` };
}

function bytes(buffer: Buffer | null): { base64: string | null; length: number; truncated: boolean } {
  if (!buffer) return { base64: null, length: 0, truncated: false };
  return { base64: buffer.subarray(0, MAX_DEAD_LETTER_BYTES).toString('base64'), length: buffer.length, truncated: buffer.length > MAX_DEAD_LETTER_BYTES };
}

/**
 * Tenants of subjects (asset, job and charter ids) learnt from the records that carry a tenant, for
 * the records that do not: audit records and dead letters belong to their subject's tenant.
 */
export type Owners = ReadonlyMap<string, string>;

/** An audit record's tenant: in its details when the deciding service put it there, else its subject's owner. */
function auditTenant(record: AuditRecord, owners: Owners): string {
  try {
    const details = JSON.parse(record.detailsJson || '{}') as { tenant?: unknown };
    if (typeof details.tenant === 'string' && details.tenant.trim() !== '') return details.tenant.trim();
  } catch {
    /* not JSON: the subject decides */
  }
  return owners.get(record.subjectId) ?? DEFAULT_TENANT;
}

/** The subject whose owner an audit record or dead letter is looked up by (a dead letter's original key). */
export function ownerLookup(input: ProjectableRecord): string | null {
  if (input.kind === 'audit') return input.value.subjectId;
  if (input.kind === 'dead_letter') return input.value.key ? input.value.key.toString('utf8') : null;
  return null;
}

/** The subject an event makes its tenant the owner of: its asset, job or charter; null for events without a tenant of their own. */
export function ownedSubject(input: ProjectableRecord, event: ProjectedEvent): string | null {
  switch (input.kind) {
    case 'audit':
    case 'dead_letter':
      return null;
    case 'routing':
    case 'job':
      return event.jobId;
    case 'plan':
    case 'execution':
      return input.value.charterId;
    default:
      return event.assetId;
  }
}

const unique = (ids: readonly (string | null | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))];

interface Facts {
  tenant: string;
  atMs: number;
  assetIds: string[];
  jobId?: string | null;
  severity?: number | null;
  summary: string;
  record: Record<string, unknown>;
}

function factsOf(input: ProjectableRecord, owners: Owners): Facts {
  switch (input.kind) {
    case 'asset': {
      const v = input.value;
      return { tenant: tenantOf(v), atMs: v.atMs, assetIds: [v.assetId], summary: `${v.assetId} ${v.change} (${v.kind}${v.region ? `, ${v.region}` : ''}${v.provider ? `, ${v.provider}` : ''})`, record: { ...v } };
    }
    case 'anomaly': {
      const v = input.value;
      return {
        tenant: tenantOf(v), atMs: v.detectedAtMs, assetIds: [v.assetId], severity: v.severity,
        summary: `${v.kind} on ${v.assetId} ${v.metric} = ${v.value} (severity ${v.severity.toFixed(2)}, score ${v.score.toFixed(2)})`, record: { ...v },
      };
    }
    case 'action': {
      const v = input.value;
      return {
        tenant: tenantOf(v), atMs: v.decidedAtMs, assetIds: [v.assetId],
        summary: `${v.dryRun ? 'would ' : ''}${v.strategy} ${v.assetId} (attempt ${v.attempt}) for anomaly ${v.anomalyId}`, record: { ...v },
      };
    }
    case 'result': {
      const v = input.value;
      return { tenant: tenantOf(v), atMs: v.finishedAtMs, assetIds: [v.assetId], summary: `action ${v.actionId} on ${v.assetId} ${v.status}${v.detail ? `: ${v.detail}` : ''}`, record: { ...v } };
    }
    case 'recommendation': {
      const v = input.value;
      return {
        tenant: tenantOf(v), atMs: v.decidedAtMs, assetIds: [v.assetId],
        summary: `${v.action} ${v.assetId}${v.targetReplicas !== null ? ` to ${v.targetReplicas} replicas` : ''}${v.targetSize ? ` to ${v.targetSize}` : ''} (confidence ${v.confidence.toFixed(2)})`, record: { ...v },
      };
    }
    case 'job': {
      const v = input.value;
      return { tenant: tenantOf(v), atMs: v.submittedAtMs, assetIds: [], jobId: v.jobId, summary: `job ${v.jobId} (${v.jobClass}) submitted`, record: { ...v } };
    }
    case 'routing': {
      const v = input.value;
      return {
        tenant: tenantOf(v), atMs: v.decidedAtMs, jobId: v.jobId,
        assetIds: unique([v.assetId, v.runnerUpAssetId, ...v.fallbacks, ...v.rejections.map((r) => r.assetId)]),
        summary: v.outcome === 'routed' ? `job ${v.jobId} routed to ${v.assetId} (score ${(v.score ?? 0).toFixed(3)}, ${v.eligibleCount}/${v.candidateCount} eligible)` : `job ${v.jobId} refused: ${v.refusalCause ?? v.reasoning}`,
        record: { ...v },
      };
    }
    case 'plan': {
      const { stateJson, ...v } = input.value;
      return { tenant: tenantOf(v), atMs: v.updatedAtMs, assetIds: [], summary: `${v.kind === 'charter' ? `charter ${v.charterId}` : `goal ${v.charterId}/${v.goalId ?? '?'} v${v.version ?? '?'}`} ${v.status} (revision ${v.revision})`, record: { ...v, ...bounded(stateJson) } };
    }
    case 'execution': {
      const { stateJson, ...v } = input.value;
      return { tenant: tenantOf(v), atMs: v.updatedAtMs, assetIds: [], summary: `charter ${v.charterId} execution: ${v.running} running, ${v.completed} completed (revision ${v.revision})`, record: { ...v, ...bounded(stateJson) } };
    }
    case 'audit': {
      const v = input.value;
      return { tenant: auditTenant(v, owners), atMs: v.atMs, assetIds: [v.subjectId], jobId: JOB_AUDIT.test(v.kind) ? v.subjectId : null, summary: `${v.service} ${v.kind} ${v.outcome} on ${v.subjectId}${v.reasons[0] ? `: ${v.reasons[0]}` : ''}`, record: { ...v } };
    }
    case 'dead_letter': {
      const v = input.value;
      return {
        tenant: (v.key && owners.get(v.key.toString('utf8'))) || DEFAULT_TENANT, atMs: v.failedAtMs, assetIds: [],
        summary: `${v.sourceTopic}[${v.sourcePartition}]@${v.sourceOffset} dead-lettered by ${v.consumerGroup}: ${v.errorCode} ${v.reason}`,
        record: { ...v, key: bytes(v.key), value: bytes(v.value), headers: v.headers.map((h) => ({ name: h.name, value: bytes(h.value) })) },
      };
    }
  }
}

/** The event a record makes; `owners` resolves the tenant of audit records and dead letters (see ownerLookup). */
export function projectRecord(input: ProjectableRecord, origin: RecordOrigin, owners: Owners = new Map()): ProjectedEvent {
  const f = factsOf(input, owners);
  const kind: EventKind = input.kind;
  return {
    id: eventId(origin), kind, tenant: f.tenant, atMs: f.atMs, assetId: f.assetIds[0] ?? null, assetIds: f.assetIds,
    jobId: f.jobId ?? null, severity: f.severity ?? null, summary: f.summary, record: f.record,
  };
}

/** A telemetry sample as an asset's recent metric values. */
export function projectSample(sample: TelemetrySample): ProjectedSample {
  return { tenant: tenantOf(sample), assetId: sample.assetId, timestampMs: sample.timestampMs, metrics: { ...sample.metrics } };
}
