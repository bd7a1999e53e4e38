import type { HealingAction, HealingResult } from '@maestro/contracts';
import { TransientError, type BatchHandler, type InboundRecord, type OutboundRecord } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import { planAfterClaim, toResult, toRunRequest, type RecordedOutcome, type RunRequest, type Runner } from './domain';
import type { Claims } from './claims';

export interface ExecutorDeps {
  claims: Claims;
  /** The runner configured for a strategy, or null when none is. */
  runnerFor(strategy: string): Runner | null;
  /** Results and their audit records go out in one send. */
  publish(results: OutboundRecord<HealingResult>[], audits: AuditEntry[]): Promise<void>;
  leaseMs: number;
  /** An action decided longer ago than this is reported `expired`, not run. */
  maxActionAgeMs: number;
  /** Assets whose actions run at once within a batch. */
  concurrency: number;
  now(): number;
  onLeaseLost(actionId: string): void;
}

/**
 * Thrown when another replica holds a live lease on an action of the batch. Transient: the consumer
 * retries the batch with backoff (the actions done meanwhile are then duplicates), never
 * dead-letters it, until that replica reports or its lease lapses.
 */
export class ActionHeldError extends TransientError {
  override readonly name = 'ActionHeldError';
}

/**
 * One batch of healing actions. Actions of one asset run in order (a restart before the failover
 * that escalates from it); different assets run concurrently, up to `concurrency`. An action held
 * by another replica's live lease stops its asset's queue and makes the batch fail after the rest
 * is done, so the consumer retries it (with backoff) until that replica reports or its lease lapses.
 */
export function createActionHandler(deps: ExecutorDeps): BatchHandler<HealingAction> {
  return async (records) => {
    const byAsset = new Map<string, InboundRecord<HealingAction>[]>();
    for (const r of records) byAsset.set(r.value.assetId, [...(byAsset.get(r.value.assetId) ?? []), r]);
    const queues = [...byAsset.values()];
    const held: string[] = [];
    const worker = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const record of queue) {
          const wait = await carryOut(deps, record);
          if (wait) {
            held.push(`${record.value.actionId}: ${wait}`);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency, queues.length) }, worker));
    if (held.length) throw new ActionHeldError(`waiting for other executors: ${held.join('; ')}`);
  };
}

/** Carries one action out (or refuses it); returns why it must wait, when another replica holds it. */
async function carryOut(deps: ExecutorDeps, record: InboundRecord<HealingAction>): Promise<string | undefined> {
  const action = record.value;
  const refuse = (outcome: string, reason: string) =>
    deps.publish([], [{ kind: 'executor.refusal', outcome, subjectId: action.assetId, reasons: [`${action.actionId} (${action.strategy}): ${reason}`], details: { actionId: action.actionId, strategy: action.strategy }, trace: record.trace }]);

  if (action.dryRun) {
    await refuse('dry_run', 'a dry-run action is recorded by the healer, never carried out');
    return undefined;
  }
  const request = toRunRequest(action);
  const runner = deps.runnerFor(action.strategy);
  const nowMs = deps.now();
  const step = planAfterClaim(await deps.claims.claim(action.actionId, nowMs), runner, { ageMs: nowMs - action.decidedAtMs, maxAgeMs: deps.maxActionAgeMs });
  switch (step.kind) {
    case 'wait':
      return step.reason;
    case 'skip_duplicate':
      await refuse('duplicate', step.reason);
      return undefined;
    case 'republish': {
      // The previous owner stored the result and died before (or while) publishing it.
      const result = JSON.parse(step.resultJson) as HealingResult;
      await deps.publish([{ key: action.assetId, value: result, trace: record.trace }], [audit(result, record, 'republished: the executor that ran it stopped before reporting')]);
      await deps.claims.markPublished(action.actionId);
      return undefined;
    }
    case 'record_unknown':
      await report(deps, record, request, { status: 'unknown', error: step.reason }, runner?.name ?? '', nowMs);
      return undefined;
    case 'expire':
      await report(deps, record, request, { status: 'failed', attempts: 0, output: '', errorCode: 'expired', error: step.reason }, runner?.name ?? '', nowMs);
      return undefined;
    case 'run': {
      const startedAtMs = deps.now();
      const outcome: RecordedOutcome = runner
        ? await runLeased(deps, runner, request)
        : { status: 'failed', attempts: 0, output: '', errorCode: 'no_runner', error: `no runner is configured for strategy ${action.strategy} (EXECUTOR_RUNNERS)` };
      await report(deps, record, request, outcome, runner?.name ?? '', startedAtMs);
      return undefined;
    }
  }
}

/** Runs with the lease renewed every third of its length, so only a dead (or frozen) executor loses it. */
async function runLeased(deps: ExecutorDeps, runner: Runner, request: RunRequest): Promise<RecordedOutcome> {
  const timer = setInterval(() => {
    deps.claims.renew(request.actionId, deps.now() + deps.leaseMs)
      .then((held) => held || deps.onLeaseLost(request.actionId))
      .catch(() => { /* Redis away: the next tick retries; the lease is three ticks long */ });
  }, Math.max(100, Math.floor(deps.leaseMs / 3)));
  try {
    return await runner.run(request, new AbortController().signal);
  } catch (err) {
    // The contract says runners resolve; a plugin that throws still yields a result.
    return { status: 'failed', attempts: 1, output: '', errorCode: 'runner_error', error: `runner ${runner.name} threw: ${(err as Error).message}` };
  } finally {
    clearInterval(timer);
  }
}

/** Stores the result under the claim, publishes it with its audit record, then marks it published. */
async function report(deps: ExecutorDeps, record: InboundRecord<HealingAction>, request: RunRequest, outcome: RecordedOutcome, runnerName: string, startedAtMs: number): Promise<void> {
  const result = toResult(request, outcome, runnerName, { startedAtMs, finishedAtMs: deps.now() });
  if (!(await deps.claims.finish(request.actionId, JSON.stringify(result)))) {
    // This replica stalled past its lease and another took the action over: that one reports it.
    await deps.publish([], [{ ...audit(result, record, 'not reported: the lease was lost to another executor, which reports this action'), outcome: 'lease_lost' }]);
    return;
  }
  await deps.publish([{ key: request.assetId, value: result, trace: record.trace }], [audit(result, record)]);
  await deps.claims.markPublished(request.actionId);
}

function audit(result: HealingResult, record: InboundRecord<HealingAction>, note?: string): AuditEntry {
  const what = `${result.runner || 'no runner'} ${result.status} ${record.value.strategy} for ${result.actionId} in ${result.durationMs} ms`;
  return {
    kind: 'executor.execution', outcome: result.status, subjectId: result.assetId,
    reasons: [result.error ? `${what}: ${result.error}` : `${what}: ${result.detail}`, ...(note ? [note] : [])],
    details: result, trace: record.trace,
  };
}
