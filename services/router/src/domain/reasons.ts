/**
 * The catalog of reasons a candidate is rejected. Codes are stable (dashboards and audits key on
 * them); the text is for people and may change.
 */

/** Every rejection code, in the order filters run and refusals summarise them. */
export const REJECTION_CODES = [
  'asset_removed',
  'asset_stale',
  'performance_invalid',
  'missing_capability',
  'compliance_tag_absent',
  'region_not_allowed',
  'cost_above_ceiling',
  'anomaly_active',
  'policy_denied',
] as const;

/** Why a candidate was rejected. */
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** One reason a candidate was rejected. */
export interface RejectionReason {
  readonly code: RejectionCode;
  readonly text: string;
}

/** Every reason one candidate was rejected; filters record all failures, not just the first. */
export interface CandidateRejection {
  readonly assetId: string;
  readonly reasons: readonly RejectionReason[];
}

/** Formats a number for reason texts: enough digits to see why a comparison failed, no float noise. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/** Builders for reason texts, one per code, so wording lives in one place. */
export const reason = {
  removed: (): RejectionReason => ({ code: 'asset_removed', text: 'asset is removed from the registry' }),
  stale: (): RejectionReason => ({ code: 'asset_stale', text: 'asset is stale: the registry has not seen it recently' }),
  performanceInvalid: (problems: readonly string[]): RejectionReason => ({
    code: 'performance_invalid', text: `performance numbers cannot be scored: ${problems.join('; ')}`,
  }),
  missingCapability: (name: string): RejectionReason => ({ code: 'missing_capability', text: `missing capability ${name}` }),
  complianceTagAbsent: (tag: string): RejectionReason => ({ code: 'compliance_tag_absent', text: `compliance tag ${tag} absent` }),
  regionNotAllowed: (region: string, allowed: readonly string[]): RejectionReason => ({
    code: 'region_not_allowed', text: `region ${region} not allowed (allowed: ${allowed.join(', ')})`,
  }),
  costAboveCeiling: (unitCost: number, ceiling: number): RejectionReason => ({
    code: 'cost_above_ceiling', text: `unit cost ${fmt(unitCost)} above ceiling ${fmt(ceiling)}`,
  }),
  anomalyActive: (severity: number, bound: number): RejectionReason => ({
    code: 'anomaly_active', text: `active anomaly with severity ${fmt(severity)} above bound ${fmt(bound)}`,
  }),
  policyDenied: (hook: string, reasons: readonly string[]): RejectionReason => ({
    code: 'policy_denied', text: `policy ${hook} denied${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`,
  }),
};

/**
 * One bit per code, in catalog order. A decision stores a candidate's failures as one small integer,
 * so rejecting 9,000 of 10,000 candidates allocates nothing until someone reads the reasons.
 */
export const REJECTION_BIT: Readonly<Record<RejectionCode, number>> = Object.freeze(
  Object.fromEntries(REJECTION_CODES.map((c, i) => [c, 1 << i])) as Record<RejectionCode, number>,
);

/** Codes whose bit is set in `mask`, in catalog order. */
export function codesOf(mask: number): RejectionCode[] {
  return REJECTION_CODES.filter((c) => (mask & REJECTION_BIT[c]) !== 0);
}
