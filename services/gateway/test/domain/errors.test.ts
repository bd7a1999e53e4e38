import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFUSAL_CODES } from '../../../planner/src/domain';
import type { ErrorCode } from '../../src/domain/errors';
import { errorCatalog, httpStatusOf, isErrorCode, STAGES } from '../../src/domain/errors';
import { refusalFromReply, refuse } from '../../src/domain/refusal';
import { clientErrorAnswer } from '@maestro/runtime';

const entries = Object.entries(errorCatalog) as [ErrorCode, (typeof errorCatalog)[ErrorCode]][];

describe('error catalog', () => {
  it.each(entries.map(([code, spec]) => ({ code, ...spec })))('$code is documented: stage $stage, status $status', ({ code, stage, status, retryable, description }) => {
    expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(STAGES).toContain(stage);
    expect(Number.isInteger(status) && status >= 400 && status <= 599).toBe(true);
    expect(typeof retryable).toBe('boolean');
    expect(description.length).toBeGreaterThan(20);
  });

  // The statuses the protocol documents; a change here is a breaking change for clients.
  it.each([
    ['malformed_json', 400], ['malformed_url', 400], ['malformed_request', 400], ['schema_violation', 400], ['invalid_idempotency_key', 400],
    ['unknown_caller', 401], ['bad_signature', 401], ['stale_timestamp', 401], ['replayed_nonce', 401],
    ['missing_capability', 403], ['tenant_mismatch', 403], ['policy_denied', 403],
    ['unknown_operation', 404], ['not_found', 404],
    ['idempotency_key_reused', 409], ['idempotency_in_progress', 409], ['version_conflict', 409],
    ['request_timeout', 408], ['payload_too_large', 413], ['headers_too_large', 431],
    ['cycle', 422], ['budget_exhausted', 422], ['deadline_infeasible', 422], ['missing_premise', 422], ['contradictory_constraints', 422],
    ['internal', 500], ['unavailable', 503], ['deadline_exceeded', 504],
  ] as const)('%s → %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it.each(Object.keys(REFUSAL_CODES))('covers the planner\'s refusal %s with 422 from the dispatch stage', (code) => {
    expect(isErrorCode(code)).toBe(true);
    expect(errorCatalog[code as ErrorCode]).toMatchObject({ stage: 'dispatch', status: 422, retryable: false });
  });

  it('is documented in the published README, code by code', () => {
    const readme = readFileSync(new URL('../../../../schemas/maestro/v1/README.md', import.meta.url), 'utf8');
    for (const [code, spec] of entries) {
      expect(readme).toContain(`| \`${code}\` | ${spec.stage} | ${spec.status} | ${spec.retryable ? 'yes' : 'no'} | ${spec.description} |`);
    }
  });

  it('marks exactly the codes a later retry of the same call can pass retryable', () => {
    expect(entries.filter(([, s]) => s.retryable).map(([c]) => c).sort()).toEqual(['deadline_exceeded', 'idempotency_in_progress', 'request_timeout', 'state_unreadable', 'unavailable']);
  });

  // Written by the HTTP server itself (libs/runtime client-errors.ts) before any route runs.
  it.each(['HPE_HEADER_OVERFLOW', 'ERR_HTTP_REQUEST_TIMEOUT', 'HPE_INVALID_METHOD'])('lists the answer to the parser error %s with its status and retryability', (parserCode) => {
    const answer = clientErrorAnswer(parserCode)!;
    expect(isErrorCode(answer.code)).toBe(true);
    expect(errorCatalog[answer.code]).toMatchObject({ stage: 'parse', status: answer.status, retryable: answer.retryAfterS !== undefined });
  });

  it('uses 500 only for internal: every other failure is the caller\'s or a dependency\'s', () => {
    expect(entries.filter(([, s]) => s.status === 500).map(([c]) => c)).toEqual(['internal']);
  });
});

describe('refusals', () => {
  it('take their stage from the catalog, and details only when given', () => {
    expect(refuse('cycle', ['a -> b -> a'])).toEqual({ refused: { stage: 'dispatch', code: 'cycle', reasons: ['a -> b -> a'] } });
    expect(refuse('unavailable', ['closing'], { stage: 'parse', details: { retryAfterMs: 1000 } })).toEqual({
      refused: { stage: 'parse', code: 'unavailable', reasons: ['closing'], details: { retryAfterMs: 1000 } },
    });
  });

  it.each([
    { name: 'a planner refusal', code: 'budget_exhausted', expected: 'budget_exhausted' },
    { name: 'a dispatcher conflict', code: 'version_conflict', expected: 'version_conflict' },
    { name: 'a code the gateway does not know', code: 'frobnicated', expected: 'internal' },
  ])('from a service reply: $name → $expected', ({ code, expected }) => {
    const refusal = refusalFromReply(code, ['why'], { n: 1 });
    expect(refusal.refused.code).toBe(expected);
    expect(refusal.refused.reasons).toContain('why');
  });

  it('does not mistake Object.prototype members for codes', () => {
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('constructor')).toBe(false);
  });
});
