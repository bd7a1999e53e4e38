import { describe, expect, it } from 'vitest';
import { actionFromDecision, decide, evaluateRecovery, judgeReport, settleDecision, type HealingAction } from '../../src/domain/index';
import { durationText } from '../../src/domain/reason-text';
import { NOW, anomaly, config, context } from './fixtures';

function started(): HealingAction {
  const result = decide(anomaly(), context(), config(), NOW);
  if (result.kind !== 'needs_slot') throw new Error('fixture must need a slot');
  return actionFromDecision(settleDecision(result.draft, { status: 'acquired' }), anomaly(), NOW)!;
}

describe('judgeReport: what an executor\'s report does to a tracked action', () => {
  const action = started();
  const { withinMs, metric } = action.expectedRecovery;
  const early = [{ timestampMs: NOW + 100, metrics: { [metric]: 1 } }];

  it('a failure escalates at once, with the executor\'s words', () => {
    const verdict = judgeReport(action, early, { actionId: action.dedupeKey, status: 'failed', finishedAtMs: NOW + 500, detail: 'exit_code: exited with code 3' });
    expect(verdict).toMatchObject({ kind: 'escalate', evaluation: { status: 'failed', reasons: ['the executor could not carry it out: exit_code: exited with code 3'] } });
  });

  it('a success restarts the recovery check from when the executor finished, with the whole window', () => {
    const finishedAtMs = NOW + withinMs - 1_000;
    const verdict = judgeReport(action, early, { actionId: action.dedupeKey, status: 'succeeded', finishedAtMs, detail: '/bin/restart exited 0' });
    if (verdict.kind !== 'watch') throw new Error('expected watch');
    expect(verdict.action.startedAtMs).toBe(finishedAtMs);
    // Samples from before the action took effect say nothing about it.
    expect(verdict.samples).toEqual([]);
    expect(verdict.reason).toBe(`the executor carried it out: recovery of ${metric} is checked for ${durationText(withinMs)} from ${new Date(finishedAtMs).toISOString()}`);
    // Without the restart the check would already have failed at the original deadline.
    expect(evaluateRecovery(action, [], NOW + withinMs + 1).status).toBe('failed');
    expect(evaluateRecovery(verdict.action, [], NOW + withinMs + 1).status).toBe('not_yet');
  });

  it('an unknown outcome leaves it to the metric, and a report older than the decision moves nothing', () => {
    const verdict = judgeReport(action, early, { actionId: action.dedupeKey, status: 'unknown', finishedAtMs: NOW - 5, detail: 'executor died mid-run' });
    expect(verdict).toMatchObject({ kind: 'watch', action: { startedAtMs: NOW } });
    expect(verdict.kind === 'watch' && verdict.reason).toMatch(/outcome is unknown \(executor died mid-run\); the metric decides/);
  });
});
