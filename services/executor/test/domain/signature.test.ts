import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../src/domain';

const secret = 's3cret';
const body = '{"action":{"actionId":"a#0"}}';
const now = 1_700_000_000_000;

describe('webhook signatures', () => {
  it('verifies a signature made with the same secret and body', () => {
    expect(verifySignature(secret, signatureHeader(secret, body, now), body, now)).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', secret, `${body} `, now, /does not match/],
    ['another secret', 'other', body, now, /does not match/],
    ['a replay after the tolerance', secret, body, now + 301_000, /outside the 300000 ms tolerance/],
  ])('refuses %s', (_, verifyWith, verifyBody, verifyAt, reason) => {
    const check = verifySignature(verifyWith, signatureHeader(secret, body, now), verifyBody, verifyAt);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it('refuses a missing or malformed header', () => {
    expect(verifySignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'no signature header' });
    expect(verifySignature(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed signature header' });
  });

  it('signs the timestamp with the body, in the documented format', () => {
    expect(signatureHeader(secret, body, now)).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(signatureHeader(secret, body, now)).not.toBe(signatureHeader(secret, body, now + 1000));
  });
});
