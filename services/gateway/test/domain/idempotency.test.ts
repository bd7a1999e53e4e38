import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/domain/errors';
import type { IdempotencyRecord } from '../../src/domain/idempotency';
import {
  bodyHash, checkIdempotencyKey, decideIdempotency, DEFAULT_IDEMPOTENCY_CONFIG, idempotencyScope, shouldStoreResponse,
} from '../../src/domain/idempotency';
import type { OperationName } from '../../src/domain/operations';
import { operations } from '../../src/domain/operations';
import { COMMIT_PAYLOAD } from './fixtures';

const principal = { caller: 'did:example:alice', tenant: 'acme', capabilities: [] };
const KEY = '7f0c2a4e-1b7d-4c55-9d0e-3f5b8a2c6e11';
const HASH = bodyHash('graph.commit', COMMIT_PAYLOAD);
const STORED = { status: 200, body: { result: { version: 1 }, audit: 'audit-1' } };

function decide(record: IdempotencyRecord | null, options: { op?: OperationName; key?: string | undefined; hash?: string } = {}) {
  const key = 'key' in options ? options.key : KEY;
  return decideIdempotency({ operation: operations[options.op ?? 'graph.commit'], principal, key, bodyHash: options.hash ?? HASH }, record, DEFAULT_IDEMPOTENCY_CONFIG);
}

describe('bodyHash', () => {
  it('is sha256 over canonical JSON, so key order does not matter', () => {
    expect(HASH).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bodyHash('graph.commit', { expectedVersion: 1, goalId: 'g-1', charterId: 'ch-1' })).toBe(HASH);
  });

  it.each([
    { name: 'another payload', hash: () => bodyHash('graph.commit', { ...COMMIT_PAYLOAD, expectedVersion: 2 }) },
    { name: 'another operation', hash: () => bodyHash('graph.diff', COMMIT_PAYLOAD) },
  ])('differs for $name', ({ hash }) => {
    expect(hash()).not.toBe(HASH);
  });
});

describe('idempotencyScope', () => {
  it('scopes keys per tenant and caller', () => {
    expect(idempotencyScope(principal, KEY)).toBe(`idem:acme:did:example:alice:${KEY}`);
    expect(idempotencyScope({ ...principal, tenant: 'globex' }, KEY)).not.toBe(idempotencyScope(principal, KEY));
    expect(idempotencyScope({ ...principal, caller: 'bob' }, KEY)).not.toBe(idempotencyScope(principal, KEY));
  });
});

describe('checkIdempotencyKey', () => {
  it.each([
    { raw: undefined, ok: true },
    { raw: KEY, ok: true },
    { raw: 'abcd1234', ok: true },
    { raw: 'short', ok: false },
    { raw: 'has:colon:inside', ok: false },
    { raw: 'x'.repeat(129), ok: false },
  ])('$raw → ok=$ok', ({ raw, ok }) => {
    const result = checkIdempotencyKey(raw);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.refusal.refused).toMatchObject({ code: 'invalid_idempotency_key', stage: 'validate' });
  });
});

describe('decideIdempotency', () => {
  it.each([
    { name: 'no key', record: null, options: { key: undefined }, kind: 'skip' },
    { name: 'a read-only operation', record: null, options: { op: 'graph.diff' as const }, kind: 'skip' },
    { name: 'first use', record: null, options: {}, kind: 'proceed' },
    { name: 'a retry with the same body', record: { bodyHash: HASH, response: STORED }, options: {}, kind: 'replay' },
    { name: 'a retry while the first call runs', record: { bodyHash: HASH }, options: {}, kind: 'refuse' },
    { name: 'a retry of an unknown outcome after the retry window', record: { bodyHash: HASH, retryWindowClosed: true }, options: {}, kind: 'refuse' },
    { name: 'the same key with another body', record: { bodyHash: HASH, response: STORED }, options: { hash: bodyHash('graph.commit', { ...COMMIT_PAYLOAD, expectedVersion: 2 }) }, kind: 'refuse' },
  ])('$name → $kind', ({ record, options, kind }) => {
    expect(decide(record, options).kind).toBe(kind);
  });

  it('first use reserves the scoped key with the body hash and TTL', () => {
    expect(decide(null)).toEqual({ kind: 'proceed', key: `idem:acme:did:example:alice:${KEY}`, bodyHash: HASH, ttlMs: 86_400_000 });
  });

  it('a retry gets the stored response verbatim', () => {
    expect(decide({ bodyHash: HASH, response: STORED })).toEqual({ kind: 'replay', response: STORED });
  });

  it.each([
    { name: 'another body', record: { bodyHash: 'sha256:other', response: STORED }, code: 'idempotency_key_reused', status: 409, retryable: false },
    { name: 'in flight', record: { bodyHash: HASH }, code: 'idempotency_in_progress', status: 409, retryable: true },
    { name: 'an unknown outcome past the retry window', record: { bodyHash: HASH, retryWindowClosed: true }, code: 'idempotency_window_closed', status: 409, retryable: false },
    { name: 'another body, even past the window', record: { bodyHash: 'sha256:other', retryWindowClosed: true }, code: 'idempotency_key_reused', status: 409, retryable: false },
  ] as const)('refuses $name with $code ($status, retryable=$retryable)', ({ record, code, status, retryable }) => {
    const decision = decide(record);
    expect(decision.kind === 'refuse' ? decision.refusal.refused : null).toMatchObject({ stage: 'idempotency', code });
    expect(errorCatalog[code]).toMatchObject({ status, retryable });
  });
});

describe('shouldStoreResponse', () => {
  it.each([
    { code: null, store: true },
    { code: 'cycle', store: true },
    { code: 'version_conflict', store: true },
    { code: 'unavailable', store: false },
    { code: 'deadline_exceeded', store: false },
  ] as const)('$code → $store', ({ code, store }) => {
    expect(shouldStoreResponse(code)).toBe(store);
  });
});
