import { describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/domain/authenticate';
import { authenticate, DEFAULT_AUTH_CONFIG, nonceReservation, refuseIfReplayed } from '../../src/domain/authenticate';
import { alice, bob, COMMIT_PAYLOAD, NOW_MS, signedBody, trustStore } from './fixtures';

const CONFIG: AuthConfig = { timestampWindowMs: 300_000 };

function refusalCode(result: ReturnType<typeof authenticate>): string | null {
  return result.ok ? null : result.refusal.refused.code;
}

describe('authenticate', () => {
  it('accepts a well-signed call and returns the principal and the nonce to reserve', () => {
    const body = signedBody(alice, 'graph.commit', COMMIT_PAYLOAD);
    const result = authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS);
    expect(result).toEqual({
      ok: true,
      value: {
        principal: { caller: alice.id, tenant: 'acme', capabilities: trustStore.get(alice.id)!.capabilities },
        nonce: { key: `nonce:${alice.id}:${body.envelope.nonce}`, ttlMs: 600_000 },
      },
    });
  });

  it('accepts a caller whose trust-store key is raw base64', () => {
    expect(authenticate('graph.commit', signedBody(bob, 'graph.commit', COMMIT_PAYLOAD), trustStore, CONFIG, NOW_MS).ok).toBe(true);
  });

  it('refuses an unknown caller before looking at anything else', () => {
    const body = signedBody({ ...alice, id: 'did:example:mallory' }, 'graph.commit', COMMIT_PAYLOAD, { timestampMs: 0 });
    const result = authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS);
    expect(result.ok ? null : result.refusal.refused).toMatchObject({ stage: 'authenticate', code: 'unknown_caller', reasons: [expect.stringContaining('did:example:mallory')] });
  });

  it.each([
    { name: 'tampered payload', tamper: (b: ReturnType<typeof signedBody>) => ({ ...b, payload: { ...b.payload, expectedVersion: 7 } }) },
    { name: 'payload field removed', tamper: (b: ReturnType<typeof signedBody>) => ({ ...b, payload: { charterId: 'ch-1', goalId: 'g-1' } }) },
    { name: 'nonce swapped', tamper: (b: ReturnType<typeof signedBody>) => ({ ...b, envelope: { ...b.envelope, nonce: 'another-nonce-0000001' } }) },
    { name: 'tenant swapped', tamper: (b: ReturnType<typeof signedBody>) => ({ ...b, envelope: { ...b.envelope, tenant: 'globex' } }) },
    { name: 'signed by someone else', tamper: (b: ReturnType<typeof signedBody>) => ({ ...b, envelope: { ...b.envelope, signature: signedBody(bob, 'graph.commit', COMMIT_PAYLOAD).envelope.signature } }) },
  ])('refuses a $name as bad_signature', ({ tamper }) => {
    const body = tamper(signedBody(alice, 'graph.commit', COMMIT_PAYLOAD));
    expect(refusalCode(authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS))).toBe('bad_signature');
  });

  it('refuses a signature made for another operation', () => {
    const body = signedBody(alice, 'graph.diff', COMMIT_PAYLOAD, { capability: 'map.maestro.graph.commit' });
    expect(refusalCode(authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS))).toBe('bad_signature');
  });

  it.each([
    { name: 'exactly on time', skewMs: 0, code: null },
    { name: 'at the window, behind', skewMs: -300_000, code: null },
    { name: 'at the window, ahead', skewMs: 300_000, code: null },
    { name: '1 ms past the window, behind', skewMs: -300_001, code: 'stale_timestamp' },
    { name: '1 ms past the window, ahead', skewMs: 300_001, code: 'stale_timestamp' },
    { name: 'a day old', skewMs: -86_400_000, code: 'stale_timestamp' },
  ])('timestamp $name', ({ skewMs, code }) => {
    const body = signedBody(alice, 'graph.commit', COMMIT_PAYLOAD, { timestampMs: NOW_MS + skewMs });
    expect(refusalCode(authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS))).toBe(code);
  });

  it('says how far off a stale timestamp is, with the window', () => {
    const body = signedBody(alice, 'graph.commit', COMMIT_PAYLOAD, { timestampMs: NOW_MS - 400_000 });
    const result = authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS);
    expect(result.ok ? null : result.refusal.refused).toMatchObject({
      reasons: [`timestamp ${NOW_MS - 400_000} is 400000 ms behind the gateway's clock; the window is ±300000 ms`],
      details: { windowMs: 300_000, nowMs: NOW_MS },
    });
  });

  it('defaults to a ±5 minute window', () => {
    expect(DEFAULT_AUTH_CONFIG.timestampWindowMs).toBe(300_000);
  });
});

describe('nonce reservation contract', () => {
  it('keys the nonce per caller and keeps it for twice the window', () => {
    expect(nonceReservation('did:example:alice', 'abc-0000000000000000', { timestampWindowMs: 60_000 }))
      .toEqual({ key: 'nonce:did:example:alice:abc-0000000000000000', ttlMs: 120_000 });
  });

  it('outlives the whole window in which the timestamp is still accepted', () => {
    // Signed at the far edge ahead, the call stays acceptable until 2 × window after first sight.
    const body = signedBody(alice, 'graph.commit', COMMIT_PAYLOAD, { timestampMs: NOW_MS + CONFIG.timestampWindowMs });
    const first = authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS);
    expect(first.ok).toBe(true);
    const ttlMs = first.ok ? first.value.nonce.ttlMs : 0;
    expect(authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS + ttlMs).ok).toBe(true);
    expect(refusalCode(authenticate('graph.commit', body, trustStore, CONFIG, NOW_MS + ttlMs + 1))).toBe('stale_timestamp');
  });

  it.each([
    { reserved: true, expected: null },
    { reserved: false, expected: 'replayed_nonce' },
  ])('reserved=$reserved → $expected', ({ reserved, expected }) => {
    const refusal = refuseIfReplayed(reserved, alice.id, 'abc-0000000000000000');
    expect(refusal?.refused.code ?? null).toBe(expected);
    if (refusal) expect(refusal.refused).toMatchObject({ stage: 'authenticate', reasons: [expect.stringContaining('fresh nonce')] });
  });

  it('keys the same nonce from two callers apart', () => {
    const a = nonceReservation(alice.id, 'same-nonce-000000001', CONFIG).key;
    const b = nonceReservation(bob.id, 'same-nonce-000000001', CONFIG).key;
    expect(a).not.toBe(b);
  });
});
