import type { Anomaly, HealingContext } from './anomaly';
import type { HealerConfig } from './config';
import { dedupeKeyFor } from './decision';
import { selectBand } from './ladder';
import { planStep } from './step-planning';
import type { DecideResult } from './step-planning';
import { severityText } from './reason-text';

/**
 * Phase 1 of a healing decision, pure: pick the ladder band for the anomaly, the first usable rung,
 * plan it and run the policy hooks. Returns either a final decision (`no_strategy`,
 * `denied_policy`) or a draft plus the slot claim the adapter must acquire atomically; the
 * acquisition result then goes to `settleDecision`.
 *
 * Deterministic in its arguments: the same anomaly and context give the same dedupe key, so a
 * redelivered anomaly is caught by the claim and never acts twice.
 */
export function decide(anomaly: Anomaly, ctx: HealingContext, config: HealerConfig, nowMs: number): DecideResult {
  const { settings } = config;
  const band = selectBand(settings.ladders, anomaly);
  const subject = `${anomaly.kind} on ${anomaly.assetId}/${anomaly.metric}, severity ${severityText(anomaly.severity)}`;
  if (band === undefined) {
    const lowest = settings.ladders[anomaly.kind]?.[0]?.minSeverity;
    const why = lowest === undefined ? `no ladder for ${anomaly.kind}` : `severity below ${lowest}, the lowest band for ${anomaly.kind}`;
    return {
      kind: 'final',
      decision: {
        dedupeKey: dedupeKeyFor(anomaly.anomalyId, 0),
        anomalyId: anomaly.anomalyId,
        assetId: anomaly.assetId,
        outcome: 'no_strategy',
        mode: settings.mode,
        ladder: [],
        step: null,
        strategy: null,
        params: null,
        expectedRecovery: null,
        proposed: null,
        overridden: false,
        policyResults: [],
        suppression: null,
        escalatedFrom: null,
        reasons: [`${subject}: ${why}: no action`],
        decidedAtMs: nowMs,
      },
    };
  }
  return planStep({
    anomaly,
    ctx,
    config,
    ladder: band.steps,
    fromStep: 0,
    mode: settings.mode,
    nowMs,
    escalatedFrom: null,
    reasons: [`${subject}: ladder for severity ≥ ${band.minSeverity} is ${band.steps.join(' → ')}`],
  });
}
