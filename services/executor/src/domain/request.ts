import type { HealingAction, HealingResult } from '@maestro/contracts';
import type { RunOutcome, RunRequest } from './runner';

/**
 * The wire action as runners see it. Params cross Kafka as strings (an Avro map of string); the
 * healer encodes non-string values as JSON, so values that parse as a JSON object or array are
 * decoded (the runbook's `webhook`), and everything else stays the string it was.
 */
export function toRunRequest(action: HealingAction): RunRequest {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(action.params)) params[key] = decodeParam(value);
  return {
    actionId: action.actionId, anomalyId: action.anomalyId, assetId: action.assetId, strategy: action.strategy,
    attempt: action.attempt, decidedAtMs: action.decidedAtMs, reasons: action.reasons, params, tenant: action.tenant ?? null,
  };
}

function decodeParam(value: string): unknown {
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The outcome as the executor records it: a runner's, or `unknown` after a crash mid-run. */
export type RecordedOutcome = RunOutcome | { readonly status: 'unknown'; readonly error: string };

/** The one `healing.results` record of an action. */
export function toResult(request: RunRequest, outcome: RecordedOutcome, runner: string, timing: { startedAtMs: number; finishedAtMs: number }): HealingResult {
  const common = {
    actionId: request.actionId, assetId: request.assetId, finishedAtMs: timing.finishedAtMs, runner,
    durationMs: Math.max(0, timing.finishedAtMs - timing.startedAtMs), tenant: request.tenant,
  };
  switch (outcome.status) {
    case 'succeeded':
      return { ...common, status: 'succeeded', detail: outcome.detail, attempts: outcome.attempts, output: outcome.output, errorCode: '', error: '' };
    case 'failed':
      return { ...common, status: 'failed', detail: `${outcome.errorCode}: ${outcome.error}`, attempts: outcome.attempts, output: outcome.output, errorCode: outcome.errorCode, error: outcome.error };
    case 'unknown':
      return { ...common, status: 'unknown', detail: outcome.error, attempts: 0, output: '', errorCode: 'interrupted', error: outcome.error };
  }
}
