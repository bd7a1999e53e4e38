/**
 * POST /v1/jobs bodies, checked and turned into the router's JobRequest record. Pure. The router
 * refuses what it cannot route (with reasons, in its decision); this refuses only what cannot be
 * a job request at all, field by field.
 */
import type { JobRequest } from '@maestro/contracts';

/** Job ids: printable, no spaces, at most 128 characters (they are record keys and URL segments). */
export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

const FIELDS = ['jobId', 'jobClass', 'capabilities', 'complianceTags', 'allowedRegions', 'costCeiling', 'latencyObjectiveMs', 'priority'] as const;

function strings(name: string, value: unknown, reasons: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    reasons.push(`${name} must be an array of non-empty strings`);
    return [];
  }
  return value as string[];
}

function positive(name: string, value: unknown, reasons: string[]): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    reasons.push(`${name} must be a positive number or null`);
    return null;
  }
  return value;
}

/** The record to produce, or every reason the body is not a job request. */
export function parseJobSubmission(body: unknown, context: { tenant: string; nowMs: number; newJobId(): string }): { ok: true; job: JobRequest } | { ok: false; reasons: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reasons: ['the body must be a JSON object: {"jobClass": "...", "capabilities": [...], ...}'] };
  const b = body as Record<string, unknown>;
  const reasons: string[] = [];
  for (const name of Object.keys(b)) if (!(FIELDS as readonly string[]).includes(name)) reasons.push(`unknown field '${name}'; known: ${FIELDS.join(', ')}`);
  let jobId = context.newJobId();
  if (b.jobId !== undefined) {
    if (typeof b.jobId !== 'string' || !JOB_ID.test(b.jobId)) reasons.push('jobId must be 1 to 128 characters of letters, digits and . _ : @ -, starting with a letter or digit');
    else jobId = b.jobId;
  }
  let jobClass = 'default';
  if (b.jobClass !== undefined) {
    if (typeof b.jobClass !== 'string' || b.jobClass === '') reasons.push('jobClass must be a non-empty string');
    else jobClass = b.jobClass;
  }
  let priority = 0;
  if (b.priority !== undefined) {
    if (!Number.isInteger(b.priority) || (b.priority as number) < -1_000 || (b.priority as number) > 1_000) reasons.push('priority must be an integer from -1000 to 1000 (higher is more important)');
    else priority = b.priority as number;
  }
  const job: JobRequest = {
    jobId, jobClass, priority, tenant: context.tenant, submittedAtMs: context.nowMs,
    capabilities: strings('capabilities', b.capabilities, reasons),
    complianceTags: strings('complianceTags', b.complianceTags, reasons),
    allowedRegions: strings('allowedRegions', b.allowedRegions, reasons),
    costCeiling: positive('costCeiling', b.costCeiling, reasons),
    latencyObjectiveMs: positive('latencyObjectiveMs', b.latencyObjectiveMs, reasons),
  };
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, job };
}
