import type { HealingAction as WireAction } from '@maestro/contracts';
import type { OutboundRecord, TraceContext } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import {
  actionFromDecision, isActionable, settleDecision, stateMode,
  type Anomaly, type DecideResult, type HealingAction, type HealingDecision, type Intervention, type SlotClaim,
} from './domain';
import type { HealerStore, TrackedAction } from './healer-store';
import type { Slots } from './slots';
import { wireParams } from './wire-params';

/** A decision in the making: what `decide` or `escalate` returned, and what it replaces. */
export interface PendingDecision {
  anomaly: Anomaly;
  result: DecideResult;
  trace: TraceContext | null;
  /** The failed action this escalates from; it stops being tracked whatever the escalation gives. */
  replaces?: TrackedAction;
}

export interface DecisionDeps {
  slots: Slots;
  store: HealerStore;
  publish(actions: OutboundRecord<WireAction>[], audits: AuditEntry[]): Promise<void>;
  now(): number;
}

function toWire(decision: HealingDecision, action: HealingAction, tenant: string | null): WireAction {
  return {
    actionId: decision.dedupeKey, anomalyId: decision.anomalyId, assetId: decision.assetId, strategy: action.strategy,
    params: wireParams(action.params),
    dryRun: decision.mode === 'dry_run', attempt: action.step + 1, decidedAtMs: decision.decidedAtMs, reasons: [...decision.reasons],
    tenant,
  };
}

/**
 * Carries decisions out, in the order that keeps "at most one action per dedupe key": claim the
 * slots (one round trip), publish actions and audit records together, confirm the claims, then
 * record tracking and history. A crash after the claim and before the confirm leaves the claim
 * "pending", and the redelivered anomaly publishes the same action id again rather than losing it.
 */
export async function applyDecisions(deps: DecisionDeps, pending: readonly PendingDecision[], extraAudits: AuditEntry[] = []): Promise<void> {
  const needsSlot = pending.filter((p): p is PendingDecision & { result: Extract<DecideResult, { kind: 'needs_slot' }> } => p.result.kind === 'needs_slot');
  const nowMs = deps.now();
  const acquisitions = await deps.slots.claim(needsSlot.map((p) => p.result.claim), nowMs);
  const byClaim = new Map<PendingDecision, (typeof acquisitions)[number]>(needsSlot.map((p, i) => [p, acquisitions[i]!]));

  const actions: OutboundRecord<WireAction>[] = [];
  const audits: AuditEntry[] = [...extraAudits];
  const confirmed: SlotClaim[] = [];
  const track: TrackedAction[] = [];
  const untrack: HealingAction[] = [];
  const history: { assetId: string; entry: Intervention }[] = [];
  const releases: TrackedAction[] = [];

  for (const p of pending) {
    let decision: HealingDecision;
    if (p.result.kind === 'final') {
      decision = p.result.decision;
    } else {
      const acquired = byClaim.get(p)!;
      decision = settleDecision(p.result.draft, acquired.status === 'pending' ? { status: 'acquired' } : acquired);
      if (acquired.status === 'acquired' || acquired.status === 'pending') confirmed.push(p.result.claim);
    }
    decision = stateMode(decision);
    audits.push({ kind: 'healing.decision', outcome: decision.outcome, subjectId: decision.assetId, reasons: [...decision.reasons], details: decision, trace: p.trace });

    const action = actionFromDecision(decision, p.anomaly, nowMs);
    if (action && p.result.kind === 'needs_slot') {
      if (isActionable(decision)) actions.push({ key: decision.assetId, value: toWire(decision, action, p.anomaly.tenant ?? null), trace: p.trace });
      track.push({ action, caps: p.result.claim.caps, samples: [] });
      history.push({ assetId: decision.assetId, entry: { dedupeKey: action.dedupeKey, anomalyId: action.anomaly.anomalyId, strategy: action.strategy, metric: action.expectedRecovery.metric, startedAtMs: nowMs, result: 'in_progress' } });
    }
    if (p.replaces) {
      const old = p.replaces.action;
      untrack.push(old);
      history.push({ assetId: old.anomaly.assetId, entry: { dedupeKey: old.dedupeKey, anomalyId: old.anomaly.anomalyId, strategy: old.strategy, metric: old.expectedRecovery.metric, startedAtMs: old.startedAtMs, result: 'failed' } });
      // An escalation that took a slot took over the old one; otherwise the old slot is given back.
      if (!(action && confirmed.some((c) => c.supersedes === old.dedupeKey))) releases.push(p.replaces);
    }
  }

  await deps.publish(actions, audits);
  await deps.slots.confirm(confirmed);
  await deps.store.apply({ track, untrack, history });
  await deps.slots.release(releases.map((r) => ({ mode: r.action.mode, caps: r.caps, dedupeKey: r.action.dedupeKey })));
}
