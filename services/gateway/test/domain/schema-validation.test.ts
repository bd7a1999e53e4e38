import { describe, expect, it } from 'vitest';
import type { SchemaError, Validator } from '../../src/domain/schema-validation';
import { schemaErrorsToRefusal, validateRequest } from '../../src/domain/schema-validation';

const err = (instancePath: string, keyword: string, params: Record<string, unknown> = {}, message?: string): SchemaError => ({ instancePath, keyword, params, ...(message ? { message } : {}) });

describe('schemaErrorsToRefusal', () => {
  it.each([
    { name: 'a value error at its path', e: err('/steps/0/durationMs', 'minimum', { limit: 0 }, 'must be >= 0'), reason: '/steps/0/durationMs: must be >= 0' },
    { name: 'a missing property by its own name', e: err('/budget', 'required', { missingProperty: 'tokens' }, "must have required property 'tokens'"), reason: '/budget/tokens: is required' },
    { name: 'an unexpected property by its own name', e: err('', 'additionalProperties', { additionalProperty: 'priority' }, 'must NOT have additional properties'), reason: '/priority: is not allowed' },
    { name: 'a root error as /', e: err('', 'type', { type: 'object' }, 'must be object'), reason: '/: must be object' },
    { name: 'an error without a message by its keyword', e: err('/x', 'pattern'), reason: "/x: fails 'pattern'" },
    { name: 'an Ajv 7 error by its dataPath', e: { dataPath: '/limit', keyword: 'maximum', params: {}, message: 'must be <= 100' }, reason: '/limit: must be <= 100' },
  ])('names $name', ({ e, reason }) => {
    expect(schemaErrorsToRefusal([e]).refused).toMatchObject({ stage: 'validate', code: 'schema_violation', reasons: [reason] });
  });

  it('prefixes a root for sub-documents and escapes property names as JSON pointers', () => {
    expect(schemaErrorsToRefusal([err('/steps', 'required', { missingProperty: 'a/b' })], '/payload').refused.reasons).toEqual(['/payload/steps/a~1b: is required']);
  });

  it('de-duplicates and caps the reasons, saying how many more there were', () => {
    const errors = [...Array.from({ length: 30 }, (_, i) => err(`/steps/${i}/cost`, 'minimum', {}, 'must be >= 0')), err('/steps/0/cost', 'minimum', {}, 'must be >= 0')];
    const { reasons, details } = schemaErrorsToRefusal(errors).refused;
    expect(reasons).toHaveLength(21);
    expect(reasons[20]).toBe('and 10 more');
    expect(details?.fields).toHaveLength(30);
  });

  it('still says something when the validator gave no errors', () => {
    expect(schemaErrorsToRefusal([]).refused.reasons).toEqual(['/: does not match the schema']);
  });
});

describe('validateRequest', () => {
  const validator = (ok: boolean, errors: SchemaError[] = []): Validator => Object.assign(() => ok, { errors: ok ? null : errors });

  it('passes a body both validators accept', () => {
    expect(validateRequest({ envelope: {}, payload: {} }, validator(true), validator(true)).ok).toBe(true);
  });

  it('reports envelope errors from the body root and payload errors under /payload', () => {
    const envelopeFails = validateRequest({}, validator(false, [err('', 'required', { missingProperty: 'envelope' })]), validator(true));
    expect(envelopeFails.ok ? null : envelopeFails.refusal.refused.reasons).toEqual(['/envelope: is required']);
    const payloadFails = validateRequest({ envelope: {}, payload: {} }, validator(true), validator(false, [err('', 'required', { missingProperty: 'goalId' })]));
    expect(payloadFails.ok ? null : payloadFails.refusal.refused.reasons).toEqual(['/payload/goalId: is required']);
  });
});
