/**
 * Hard filters. A candidate that fails any of them cannot run the job, whatever its score.
 *
 * Every filter runs on every candidate and every failure is recorded, so a refusal tells an operator
 * everything that would have to change, not just the first obstacle. The hot path returns a bit mask
 * of failed codes and allocates nothing; {@link describeFailures} turns a mask back into reasons with
 * their numbers when someone reads them (the pool and job are immutable, so the answer is the same).
 *
 * Active anomalies: assets with severity above `maxAnomalySeverity` are filtered here; milder ones
 * pass and are penalised in `score.ts`, so a degraded asset is still usable when nothing else is.
 */
import type { CandidatePool } from './candidate-pool';
import { ALL_MISSING, MISSING_BIT, PERFORMANCE_FIELDS } from './candidate-pool';
import { STATUS_CODE } from './candidate';
import type { JobRequest } from './job';
import type { RejectionReason } from './reasons';
import { REJECTION_BIT as BIT, fmt, reason } from './reasons';
import type { RequiredBits } from './vocabulary';
import { containsAll, missingNames, requiredBits } from './vocabulary';

/** A job's requirements compiled against one pool; built once per decision. */
export interface CompiledJobFilter {
  readonly job: JobRequest;
  readonly capabilities: RequiredBits;
  readonly tags: RequiredBits;
  /** allowedRegion[regionId] === 1 when allowed; null when every region is allowed. */
  readonly allowedRegion: Uint8Array | null;
  readonly maxAnomalySeverity: number;
}

/** Compiles a job's hard constraints against a pool. */
export function compileJobFilter(pool: CandidatePool, job: JobRequest, maxAnomalySeverity: number): CompiledJobFilter {
  let allowedRegion: Uint8Array | null = null;
  if (job.allowedRegions.length > 0) {
    allowedRegion = new Uint8Array(pool.regions.names.length);
    for (const r of job.allowedRegions) {
      const id = pool.regions.ids.get(r);
      if (id !== undefined) allowedRegion[id] = 1;
    }
  }
  return {
    job,
    capabilities: requiredBits(pool.capabilities, job.requiredCapabilities),
    tags: requiredBits(pool.tags, job.complianceTags),
    allowedRegion,
    maxAnomalySeverity,
  };
}

/** Checks candidate `i`: 0 when it passes every filter, else the OR of `REJECTION_BIT`s it fails. */
export function filterMask(pool: CandidatePool, i: number, f: CompiledJobFilter): number {
  const perf = pool.perf;
  let mask = 0;
  const status = pool.status[i]!;
  if (status === STATUS_CODE.removed) mask |= BIT.asset_removed;
  else if (status === STATUS_CODE.stale) mask |= BIT.asset_stale;
  if (f.capabilities.any && (f.capabilities.unknown.length > 0 || !containsAll(pool.capabilityBits, i * pool.capabilities.words, f.capabilities.bits))) {
    mask |= BIT.missing_capability;
  }
  if (f.tags.any && (f.tags.unknown.length > 0 || !containsAll(pool.tagBits, i * pool.tags.words, f.tags.bits))) mask |= BIT.compliance_tag_absent;
  if (f.allowedRegion !== null && f.allowedRegion[pool.regionId[i]!] !== 1) mask |= BIT.region_not_allowed;
  // Cost and anomaly read performance numbers, which mean nothing when the view is invalid. An
  // unknown cost cannot be held to the ceiling: it is scored with the missing-metric score instead.
  if (perf.invalid[i] !== 0 || perf.missing[i] === ALL_MISSING) mask |= BIT.performance_invalid;
  else {
    if ((perf.missing[i]! & MISSING_BIT.cost) === 0 && perf.unitCost[i]! > f.job.costCeilingPerUnit) mask |= BIT.cost_above_ceiling;
    if (perf.anomalySeverity[i]! > f.maxAnomalySeverity) mask |= BIT.anomaly_active;
  }
  return mask;
}

/** Every reason behind `mask` for candidate `i`, with names and numbers, in catalog order. */
export function describeFailures(pool: CandidatePool, i: number, f: CompiledJobFilter, mask: number): RejectionReason[] {
  const out: RejectionReason[] = [];
  const perf = pool.perf;
  if (mask & BIT.asset_removed) out.push(reason.removed());
  if (mask & BIT.asset_stale) out.push(reason.stale());
  if (mask & BIT.performance_invalid) out.push(reason.performanceInvalid(performanceProblems(pool, i)));
  if (mask & BIT.missing_capability) {
    const offset = i * pool.capabilities.words;
    for (const name of missingNames(pool.capabilities, pool.capabilityBits, offset, f.job.requiredCapabilities)) out.push(reason.missingCapability(name));
    for (const name of f.capabilities.unknown) out.push(reason.missingCapability(name));
  }
  if (mask & BIT.compliance_tag_absent) {
    for (const tag of missingNames(pool.tags, pool.tagBits, i * pool.tags.words, f.job.complianceTags)) out.push(reason.complianceTagAbsent(tag));
    for (const tag of f.tags.unknown) out.push(reason.complianceTagAbsent(tag));
  }
  if (mask & BIT.region_not_allowed) out.push(reason.regionNotAllowed(pool.assets[i]!.region, f.job.allowedRegions));
  if (mask & BIT.cost_above_ceiling) out.push(reason.costAboveCeiling(perf.unitCost[i]!, f.job.costCeilingPerUnit));
  if (mask & BIT.anomaly_active) out.push(reason.anomalyActive(perf.anomalySeverity[i]!, f.maxAnomalySeverity));
  return out;
}

/** Which numbers make candidate `i` unscorable: each out-of-range one with its value, or all of them missing. */
function performanceProblems(pool: CandidatePool, i: number): string[] {
  const perf = pool.perf;
  if (perf.invalid[i] === 0) {
    const names = PERFORMANCE_FIELDS.filter((field) => field.criterion !== null).map((field) => field.name);
    return [`none reported (${names.join(', ')} all missing)`];
  }
  return PERFORMANCE_FIELDS.filter((_, k) => (perf.invalid[i]! & (1 << k)) !== 0)
    .map((field) => `${field.name} ${fmt(field.read(perf, i))}${field.unit} out of range (expected ${field.expected})`);
}
