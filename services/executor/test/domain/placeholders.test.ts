import { describe, expect, it } from 'vitest';
import { fillTemplate, MissingParamError, type RunRequest } from '../../src/domain';

const request: RunRequest = {
  actionId: 'an-1#0', anomalyId: 'an-1', assetId: 'checkout-eu-1', strategy: 'restart', attempt: 1, decidedAtMs: 1, reasons: [],
  params: { mode: 'rolling', webhook: { url: 'http://x' } }, tenant: null,
};

describe('command templates', () => {
  it('fills action fields and params, one argument each', () => {
    expect(fillTemplate('--asset={assetId}', request)).toBe('--asset=checkout-eu-1');
    expect(fillTemplate('{params.mode}/{attempt}/{tenant}', request)).toBe('rolling/1/');
    expect(fillTemplate('{params.webhook}', request)).toBe('{"url":"http://x"}');
  });

  it('keeps a hostile value as plain text (no shell sees it)', () => {
    expect(fillTemplate('{assetId}', { ...request, assetId: 'a; rm -rf /' })).toBe('a; rm -rf /');
  });

  it('refuses a param the action lacks', () => {
    expect(() => fillTemplate('{params.region}', request)).toThrow(MissingParamError);
  });
});
