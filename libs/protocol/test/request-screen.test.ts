import { describe, expect, it } from 'vitest';
import type { ProtocolRequest } from '@maestro/contracts';
import { compileMaestroValidators } from '../src/payload-validation';
import { deadlinePassed, screenRequest } from '../src/request-screen';

const validators = compileMaestroValidators();
const declare = { charterId: 'ch-1', budget: { cost: 10, tokens: 1000 }, deadlineMs: 60_000, minTrust: 0.5, executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: [] }] };

function request(payload: unknown, overrides: Partial<ProtocolRequest> = {}): ProtocolRequest {
  return {
    correlationId: 'r-1', replyTo: 'gw-1', operation: 'charter.declare', charterId: 'ch-1', tenant: 'acme', caller: 'agent',
    payloadJson: typeof payload === 'string' ? payload : JSON.stringify(payload), deadlineAtMs: 10_000, sentAtMs: 0, ...overrides,
  };
}

describe('screenRequest', () => {
  it('passes a payload its schema accepts, parsed', () => {
    expect(screenRequest(request(declare), 5_000, validators)).toEqual({ ok: true, payload: declare });
  });

  // Regression: a payload written straight to Kafka reached charter.declare with `executors` a
  // string, and the planner failed with `TypeError: p.executors.map is not a function`.
  it('refuses a schema-invalid payload with schema_violation, naming each field', () => {
    const screened = screenRequest(request({ ...declare, executors: 'all of them', minTrust: 7 }), 5_000, validators);
    expect(screened).toMatchObject({ ok: false, refusal: { code: 'schema_violation' } });
    if (screened.ok) return;
    expect(screened.refusal.details.fields).toEqual(expect.arrayContaining(['/payload/executors', '/payload/minTrust']));
    expect(screened.refusal.reasons.some((r) => r.startsWith('/payload/executors: '))).toBe(true);
  });

  it.each([
    ['not JSON', '{"charterId":', '/payload: is not JSON'],
    ['an array', [declare], '/payload: must be an object'],
    ['null', null, '/payload: must be an object'],
  ])('refuses a payload that is %s', (_what, payload, reason) => {
    const screened = screenRequest(request(payload), 5_000, validators);
    expect(screened).toMatchObject({ ok: false, refusal: { code: 'schema_violation' } });
    if (!screened.ok) expect(screened.refusal.reasons[0]).toContain(reason);
  });

  it('names a missing property itself', () => {
    const { executors: _executors, ...rest } = declare;
    const screened = screenRequest(request(rest), 5_000, validators);
    expect(screened.ok ? [] : screened.refusal.reasons).toEqual(['/payload/executors: is required']);
  });

  it('refuses a payload that names another charter than the record key', () => {
    expect(screenRequest(request({ ...declare, charterId: 'ch-2' }), 5_000, validators)).toMatchObject({ ok: false, refusal: { code: 'invalid_input' } });
  });

  it('checks an operation without a published schema (an internal request) for its charter only', () => {
    expect(screenRequest(request({ charterId: 'ch-1' }, { operation: 'dispatch.expire' }), 5_000, validators)).toEqual({ ok: true, payload: { charterId: 'ch-1' } });
  });

  it('refuses a request whose deadline has passed before looking at its payload', () => {
    const screened = screenRequest(request('not even JSON'), 10_001, validators);
    expect(screened).toMatchObject({ ok: false, refusal: { code: 'deadline_exceeded', details: { deadlineAtMs: 10_000, decidedAtMs: 10_001 } } });
  });
});

describe('deadlinePassed', () => {
  it.each([[9_999, false], [10_000, false], [10_001, true]])('at %i ms (deadline 10000): %s', (nowMs, late) => {
    expect(deadlinePassed(request(declare), nowMs) !== null).toBe(late);
  });
});
