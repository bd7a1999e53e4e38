/**
 * What the demo sends through the gateway with its API token: the fleet's telemetry
 * (POST /v1/telemetry) and jobs for the router (POST /v1/jobs), as an agent and a job submitter
 * would.
 */
import type { HealthSignal } from '@maestro/contracts';
import type { Fleet } from './fleet';

/** The gateway's own limit on one telemetry batch (GATEWAY_TELEMETRY_MAX_BATCH's default). */
const MAX_BATCH = 1_000;

export interface GatewayTarget {
  readonly url: string;
  readonly token: string;
}

async function postJson(target: GatewayTarget, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${target.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` }, body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* kept as text */
  }
  return { status: response.status, body: parsed };
}

/** Posts signals in batches the gateway accepts; throws naming the gateway's refusal. */
export async function postTelemetry(target: GatewayTarget, signals: readonly HealthSignal[]): Promise<void> {
  for (let i = 0; i < signals.length; i += MAX_BATCH) {
    const batch = signals.slice(i, i + MAX_BATCH).map(({ tenant: _t, receivedAtMs: _r, ...signal }) => signal);
    const answer = await postJson(target, '/v1/telemetry', { signals: batch });
    if (answer.status !== 202) throw new Error(`POST /v1/telemetry answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
}

/**
 * The history a detector needs before it may judge (DETECTOR_WARMUP_SAMPLES per series): `count`
 * healthy samples per asset, one per `stepMs`, ending at `nowMs`. Recent enough for the gateway's
 * five-minute limit on old signals.
 */
export function backfill(fleet: Fleet, nowMs: number, count: number, stepMs: number): HealthSignal[] {
  const out: HealthSignal[] = [];
  for (let i = count; i >= 1; i--) out.push(...fleet.signals(nowMs - i * stepMs));
  return out;
}

/** The router's answer to one job, as the demo narrates it. */
export interface JobOutcome {
  readonly jobId: string;
  readonly status: string;
  readonly chosen: string | null;
  /** Candidates rejected for an open anomaly: the sick assets the job was routed away from. */
  readonly avoided: readonly string[];
  readonly summary: string;
}

interface JobAnswer {
  jobId?: string;
  status?: string;
  decision?: { record?: { assetId?: string | null; rejections?: { assetId?: string; reasons?: string[] }[] } } | null;
}

/** Submits one job and waits up to `waitMs` for the router's decision. */
export async function submitJob(target: GatewayTarget, job: Record<string, unknown>, waitMs = 3_000): Promise<JobOutcome> {
  const answer = await postJson(target, `/v1/jobs?waitMs=${waitMs}`, job);
  if (answer.status !== 200 && answer.status !== 202) throw new Error(`POST /v1/jobs answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  const body = answer.body as JobAnswer;
  const record = body.decision?.record;
  // A rejection's reasons read "<code>: <words>" (services/router/src/domain/reasons.ts).
  // Only candidates the job could have had but for their anomaly: not those also outside its regions.
  const avoided = (record?.rejections ?? [])
    .filter((r) => (r.reasons ?? []).some((reason) => reason.startsWith('anomaly_active')) && !(r.reasons ?? []).some((reason) => reason.startsWith('region_not_allowed')))
    .map((r) => r.assetId ?? '?');
  const chosen = record?.assetId ?? null;
  const status = body.status ?? (answer.status === 202 ? 'pending' : 'unknown');
  const summary = status === 'routed' ? `→ ${chosen}${avoided.length > 0 ? ` (routed away from ${avoided.join(', ')}: open anomaly)` : ''}` : status;
  return { jobId: body.jobId ?? '?', status, chosen, avoided, summary };
}
