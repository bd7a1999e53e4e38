import { describe, expect, it } from 'vitest';
import type { HealingAction } from '@maestro/contracts';
import { retryDelayMs, isRetryableStatus, toResult, toRunRequest } from '../../src/domain';

const wire: HealingAction = {
  actionId: 'an-1#0', anomalyId: 'an-1', assetId: 'checkout-eu-1', strategy: 'runbook', dryRun: false, attempt: 1, decidedAtMs: 1000, reasons: ['why'],
  params: { webhook: '{"url":"http://127.0.0.1:9999/runbooks","method":"POST","payload":{"kind":"spike"}}', shiftRatio: '0.4', note: '{not json' },
  tenant: 'acme',
};

describe('actions and results', () => {
  it('decodes JSON params (the runbook webhook) and keeps the others as strings', () => {
    const request = toRunRequest(wire);
    expect(request.params.webhook).toEqual({ url: 'http://127.0.0.1:9999/runbooks', method: 'POST', payload: { kind: 'spike' } });
    expect(request.params.shiftRatio).toBe('0.4');
    expect(request.params.note).toBe('{not json');
    expect(request.tenant).toBe('acme');
  });

  it('builds one result per outcome, with duration, excerpt and error', () => {
    const request = toRunRequest(wire);
    const timing = { startedAtMs: 1_000, finishedAtMs: 1_250 };
    expect(toResult(request, { status: 'succeeded', attempts: 2, output: 'ok', detail: 'POST answered 200' }, 'notify', timing)).toMatchObject({
      status: 'succeeded', durationMs: 250, attempts: 2, output: 'ok', runner: 'notify', errorCode: '', error: '', tenant: 'acme',
    });
    expect(toResult(request, { status: 'failed', attempts: 1, output: 'boom', errorCode: 'exit_code', error: 'exited with code 3' }, 'cmd', timing)).toMatchObject({
      status: 'failed', errorCode: 'exit_code', error: 'exited with code 3', detail: 'exit_code: exited with code 3',
    });
    expect(toResult(request, { status: 'unknown', error: 'died mid-run' }, 'cmd', timing)).toMatchObject({ status: 'unknown', errorCode: 'interrupted', attempts: 0 });
  });

  it('backs off by doubling up to the cap, and retries only the receiver\'s trouble', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 500, 3000))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect([500, 503, 429, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 409].some(isRetryableStatus)).toBe(false);
  });
});
