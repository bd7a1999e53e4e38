import type { HealingResult, TelemetrySample } from '@maestro/contracts';
import type { BatchHandler } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import { escalate, evaluateRecovery, judgeReport, type HealerConfig, type RecoveryEvaluation } from './domain';
import { applyDecisions, type DecisionDeps, type PendingDecision } from './decisions';
import type { TrackedAction } from './healer-store';

type Deps = DecisionDeps & { config: HealerConfig };

/**
 * Judges tracked actions: recovered ones release their slot; failed ones escalate to the next rung
 * of their ladder (or are recorded as exhausted). Shared by the sample stream, the executors'
 * reports and the periodic sweep that catches actions whose asset went silent.
 */
async function judge(deps: Deps, tracked: TrackedAction[], verdicts: Map<string, RecoveryEvaluation>, changed: Set<string>): Promise<void> {
  const failed = tracked.filter((t) => verdicts.get(t.action.dedupeKey)?.status === 'failed');
  const recovered = tracked.filter((t) => verdicts.get(t.action.dedupeKey)?.status === 'recovered');
  const stillWaiting = tracked.filter((t) => verdicts.get(t.action.dedupeKey)?.status === 'not_yet' && changed.has(t.action.dedupeKey));
  const nowMs = deps.now();

  const audits: AuditEntry[] = recovered.map((t) => ({
    kind: 'healing.recovery', outcome: 'recovered', subjectId: t.action.anomaly.assetId,
    reasons: [`${t.action.strategy} (${t.action.dedupeKey}) worked: ${verdicts.get(t.action.dedupeKey)!.reasons.join('; ')}`],
    details: { dedupeKey: t.action.dedupeKey, evaluation: verdicts.get(t.action.dedupeKey) },
  }));
  const contexts = failed.length ? await deps.store.contexts([...new Set(failed.map((t) => t.action.anomaly.assetId))]) : new Map();
  const pending: PendingDecision[] = failed.map((t) => ({
    anomaly: t.action.anomaly, trace: null, replaces: t,
    result: escalate(t.action, verdicts.get(t.action.dedupeKey)!, contexts.get(t.action.anomaly.assetId)!, deps.config, nowMs),
  }));
  await applyDecisions(deps, pending, audits);
  await deps.store.apply({
    track: stillWaiting,
    untrack: recovered.map((t) => t.action),
    history: recovered.map((t) => ({ assetId: t.action.anomaly.assetId, entry: { dedupeKey: t.action.dedupeKey, anomalyId: t.action.anomaly.anomalyId, strategy: t.action.strategy, metric: t.action.expectedRecovery.metric, startedAtMs: t.action.startedAtMs, result: 'recovered' as const } })),
  });
  await deps.slots.release(recovered.map((t) => ({ mode: t.action.mode, caps: t.caps, dedupeKey: t.action.dedupeKey })));
}

/** Samples of assets with actions in flight feed their recovery checks; all samples refresh asset context. */
export function createSampleHandler(deps: Deps): BatchHandler<TelemetrySample> {
  return async (records) => {
    await deps.store.rememberAssets(records.map(({ value: s }) => ({ assetId: s.assetId, labels: s.labels, ...(s.region ? { region: s.region } : {}), ...(s.provider ? { provider: s.provider } : {}) })));
    const assets = await deps.store.assetsInFlight([...new Set(records.map((r) => r.value.assetId))]);
    if (assets.length === 0) return;
    const tracked = await deps.store.tracked(assets);
    const nowMs = deps.now();
    const verdicts = new Map<string, RecoveryEvaluation>();
    const changed = new Set<string>();
    for (const t of tracked) {
      for (const { value: s } of records) {
        if (s.assetId === t.action.anomaly.assetId && s.timestampMs > t.action.startedAtMs) {
          t.samples.push({ timestampMs: s.timestampMs, metrics: s.metrics });
          changed.add(t.action.dedupeKey);
        }
      }
      verdicts.set(t.action.dedupeKey, evaluateRecovery(t.action, t.samples, nowMs));
    }
    await judge(deps, tracked, verdicts, changed);
  };
}

/**
 * Executors' reports (`healing.results`): a failure escalates at once; a success (or an unknown
 * outcome) restarts the action's recovery check from the moment the executor finished, so a slow
 * executor does not eat the strategy's window (see `judgeReport`). A report on an action no longer
 * tracked (it already recovered or escalated, or a repeated report) is audited and changes nothing.
 */
export function createResultHandler(deps: Deps & { audit(entries: AuditEntry[]): Promise<void> }): BatchHandler<HealingResult> {
  return async (records) => {
    const tracked = await deps.store.tracked([...new Set(records.map((r) => r.value.assetId))]);
    const byId = new Map(tracked.map((t) => [t.action.dedupeKey, t]));
    const verdicts = new Map<string, RecoveryEvaluation>();
    const executed: { assetId: string; dedupeKey: string; finishedAtMs: number }[] = [];
    const audits: AuditEntry[] = [];
    for (const { value: r, trace } of records) {
      const t = byId.get(r.actionId);
      const said = `executor reported ${r.status} for ${r.actionId}${r.detail ? `: ${r.detail}` : ''}`;
      const verdict = t && judgeReport(t.action, t.samples, { actionId: r.actionId, status: r.status, finishedAtMs: r.finishedAtMs, detail: r.detail });
      let done: string;
      if (!verdict) done = 'the action is no longer tracked (already judged): nothing to do';
      else if (verdict.kind === 'escalate') {
        verdicts.set(r.actionId, verdict.evaluation);
        done = 'escalating to the next strategy';
      } else {
        executed.push({ assetId: r.assetId, dedupeKey: r.actionId, finishedAtMs: verdict.action.startedAtMs });
        done = verdict.reason;
      }
      audits.push({ kind: 'healing.result', outcome: r.status, subjectId: r.assetId, reasons: [said, done], details: r, trace });
    }
    await deps.store.markExecuted(executed);
    await deps.audit(audits);
    await judge(deps, tracked.filter((t) => verdicts.has(t.action.dedupeKey)), verdicts, new Set());
  };
}

/** Finds actions whose recovery window closed without samples; one replica at a time, under a lease. */
export async function sweepOverdue(deps: Deps & { tryLease(): Promise<boolean>; graceMs: number }): Promise<void> {
  if (!(await deps.tryLease())) return;
  const tracked = await deps.store.tracked(await deps.store.allAssetsInFlight());
  // Judged as of `graceMs` ago: while samples still flow, the sample handler sees the deadline pass
  // first, and the two never escalate the same action at once.
  const asOfMs = deps.now() - deps.graceMs;
  const verdicts = new Map(tracked.map((t) => [t.action.dedupeKey, evaluateRecovery(t.action, t.samples, asOfMs)]));
  await judge(deps, tracked.filter((t) => verdicts.get(t.action.dedupeKey)!.status !== 'not_yet'), verdicts, new Set());
}
