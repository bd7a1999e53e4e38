/** Readable reasoning strings for decisions and refusals. Numbers are rounded for reading only. */
import type { RankedAsset, FallbackAsset } from './decision';
import type { JobRequest } from './job';
import type { PolicyRecord } from './policy';
import type { RejectionCode } from './reasons';
import type { RejectionLog } from './rejection-log';
import { REJECTION_CODES, fmt } from './reasons';
import { CRITERIA } from './weights';

/** Rejections listed asset by asset in a refusal before switching to counts only. */
const LISTED_REJECTIONS = 5;

function countsText(counts: Readonly<Record<RejectionCode, number>>): string {
  const parts = REJECTION_CODES.filter((c) => counts[c] > 0).map((c) => `${c} ${counts[c]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function policyText(records: readonly PolicyRecord[]): string {
  const denied = records.filter((r) => r.verdict === 'deny').length;
  const adjusted = records.filter((r) => r.verdict === 'adjust').length;
  return denied + adjusted === 0 ? '' : `; policy: ${denied} denied, ${adjusted} adjusted`;
}

function scoreText(a: RankedAsset): string {
  const s = a.score;
  const terms = CRITERIA.map((c) => `${c} ${fmt(s.criteria[c].score)}×${fmt(s.criteria[c].weight)}`).join(' + ');
  const penalty = s.anomalyPenalty > 0 ? ` − anomaly ${fmt(s.anomalyPenalty)}` : '';
  const policy = s.policyDelta !== 0 ? ` ${s.policyDelta > 0 ? '+' : '−'} policy ${fmt(Math.abs(s.policyDelta))}` : '';
  const unknown = s.unknown.length > 0 ? ` (not reported, scored as unknown: ${s.unknown.join(', ')})` : '';
  return `score ${fmt(s.total)} = ${terms}${penalty}${policy}${unknown}`;
}

/** Explains a routing decision in one paragraph. */
export function explainDecision(
  job: JobRequest, chosen: RankedAsset, runnerUp: RankedAsset | null, margin: number | null, fallbacks: readonly FallbackAsset[],
  eligible: number, total: number, counts: Readonly<Record<RejectionCode, number>>, policy: readonly PolicyRecord[],
): string {
  const head = `job ${job.jobId} (class ${job.jobClass}, priority ${job.priority}) routed to ${chosen.assetId} [${chosen.provider}/${chosen.region}]: ${scoreText(chosen)}`;
  const versus = runnerUp && margin !== null ? `; margin ${fmt(margin)} over ${runnerUp.assetId}` : '; no runner-up';
  const pool = `; ${eligible} of ${total} candidates eligible, rejected: ${countsText(counts)}`;
  const fb = fallbacks.length > 0 ? `; fallbacks: ${fallbacks.map((f) => `${f.assetId} (${f.failureDomain})`).join(', ')}` : '; no fallbacks';
  return head + versus + pool + policyText(policy) + fb;
}

/** Explains a refusal, naming each rejected candidate when there are few, counts otherwise. */
export function explainRefusal(
  job: JobRequest, total: number, rejections: RejectionLog, counts: Readonly<Record<RejectionCode, number>>, requestErrors: readonly string[],
): string {
  if (requestErrors.length > 0) return `job ${job.jobId} refused: invalid request (${requestErrors.join('; ')})`;
  if (total === 0) return `job ${job.jobId} refused: the registry has no candidate assets`;
  const head = `job ${job.jobId} refused: all ${total} candidates rejected (${countsText(counts)})`;
  if (rejections.size > LISTED_REJECTIONS) return head;
  return `${head}: ${rejections.list().map((r) => `${r.assetId}: ${r.reasons.map((x) => x.text).join('; ')}`).join(' | ')}`;
}
