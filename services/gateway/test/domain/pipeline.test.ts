/**
 * The pure stages chained as the gateway's adapter will chain them, with in-memory stand-ins for
 * the two Redis reservations (nonce, idempotency) and Ajv 8 configured as Fastify must be.
 */
import { createRequire } from 'node:module';
import type Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { authenticate, refuseIfReplayed } from '../../src/domain/authenticate';
import { authorise } from '../../src/domain/authorise';
import { canonicalJson } from '../../src/domain/canonical-json';
import type { IdempotencyRecord, StoredResponse } from '../../src/domain/idempotency';
import { bodyHash, decideIdempotency, DEFAULT_IDEMPOTENCY_CONFIG } from '../../src/domain/idempotency';
import type { OperationName } from '../../src/domain/operations';
import { parseRequest } from '../../src/domain/parse';
import { createSizeLimitHook, evaluatePolicies } from '../../src/domain/policy';
import type { Refusal } from '../../src/domain/refusal';
import { envelopeSchema, maestroSchemas } from '../../src/domain/schemas';
import { validateRequest } from '../../src/domain/schema-validation';
import { alice, COMMIT_PAYLOAD, NOW_MS, signedBody, trustStore } from './fixtures';

const require = createRequire(import.meta.url);
const Ajv8 = createRequire(require.resolve('@fastify/ajv-compiler'))('ajv') as typeof Ajv;

function createAjv(options: Record<string, unknown>) {
  const ajv = new Ajv8({ allErrors: true, ...options });
  for (const s of maestroSchemas) ajv.addSchema(s);
  return ajv;
}

// Compiled once: compiling fourteen schemas dominates this file's run time.
const ajv = createAjv({ coerceTypes: false, removeAdditional: false, useDefaults: false });

/** Runs the pure stages; `nonces` and `records` play the adapters' Redis. */
function createGateway() {
  const nonces = new Set<string>();
  const records = new Map<string, IdempotencyRecord>();
  const hooks = [createSizeLimitHook()];
  return function call(operation: string, rawBody: string, idempotencyKey?: string): Refusal | StoredResponse {
    const parsed = parseRequest(operation, rawBody, { maxBodyBytes: 1_000_000 });
    if (!parsed.ok) return parsed.refusal;
    const spec = parsed.value.operation;
    const valid = validateRequest(parsed.value.body, ajv.getSchema(envelopeSchema.$id)!, ajv.getSchema(spec.schema.$id)!);
    if (!valid.ok) return valid.refusal;
    const authn = authenticate(spec.name, valid.value, trustStore, { timestampWindowMs: 300_000 }, NOW_MS);
    if (!authn.ok) return authn.refusal;
    const reserved = !nonces.has(authn.value.nonce.key);
    nonces.add(authn.value.nonce.key);
    const replayed = refuseIfReplayed(reserved, authn.value.principal.caller, valid.value.envelope.nonce);
    if (replayed) return replayed;
    const denied = authorise({ operation: spec, principal: authn.value.principal, envelope: valid.value.envelope, payload: valid.value.payload })
      ?? evaluatePolicies(hooks, { operation: spec, principal: authn.value.principal, payload: valid.value.payload, payloadBytes: Buffer.byteLength(canonicalJson(valid.value.payload)), nowMs: NOW_MS });
    if (denied) return denied;
    const hash = bodyHash(spec.name, valid.value.payload);
    const decision = decideIdempotency({ operation: spec, principal: authn.value.principal, key: idempotencyKey, bodyHash: hash }, idempotencyKey ? findRecord(idempotencyKey) : null, DEFAULT_IDEMPOTENCY_CONFIG);
    if (decision.kind === 'refuse') return decision.refusal;
    if (decision.kind === 'replay') return decision.response;
    const response = { status: 200, body: { result: { committed: valid.value.payload }, audit: `audit-${records.size + 1}` } };
    if (decision.kind === 'proceed') records.set(decision.key, { bodyHash: hash, response });
    return response;
  };
  function findRecord(key: string): IdempotencyRecord | null {
    return [...records.entries()].find(([k]) => k.endsWith(`:${key}`))?.[1] ?? null;
  }
}

const send = (op: OperationName, payload: Record<string, unknown>) => JSON.stringify(signedBody(alice, op, payload));
const codeOf = (r: Refusal | StoredResponse): string => ('refused' in r ? r.refused.code : `${r.status}`);

describe('the pure pipeline', () => {
  it('accepts a signed, valid, authorised call', () => {
    expect(codeOf(createGateway()('graph.commit', send('graph.commit', COMMIT_PAYLOAD)))).toBe('200');
  });

  it('refuses the identical request sent twice as a replay', () => {
    const call = createGateway();
    const raw = send('graph.commit', COMMIT_PAYLOAD);
    expect(codeOf(call('graph.commit', raw))).toBe('200');
    expect(codeOf(call('graph.commit', raw))).toBe('replayed_nonce');
  });

  it('replays the stored response to a re-signed retry with the same Idempotency-Key, and refuses the key for another body', () => {
    const call = createGateway();
    const first = call('graph.commit', send('graph.commit', COMMIT_PAYLOAD), 'retry-key-0001');
    expect(call('graph.commit', send('graph.commit', COMMIT_PAYLOAD), 'retry-key-0001')).toBe(first);
    expect(codeOf(call('graph.commit', send('graph.commit', { ...COMMIT_PAYLOAD, expectedVersion: 2 }), 'retry-key-0001'))).toBe('idempotency_key_reused');
  });

  it.each([
    { name: 'unknown operation', op: 'graph.delete', raw: () => send('graph.commit', COMMIT_PAYLOAD), code: 'unknown_operation' },
    { name: 'schema violation, naming the field', op: 'graph.commit', raw: () => send('graph.commit', { ...COMMIT_PAYLOAD, expectedVersion: 'one' }), code: 'schema_violation' },
    { name: 'missing capability', op: 'graph.replan', raw: () => send('graph.replan', COMMIT_PAYLOAD), code: 'missing_capability' },
    { name: 'tampered body', op: 'graph.commit', raw: () => send('graph.commit', COMMIT_PAYLOAD).replace('"expectedVersion":1', '"expectedVersion":9'), code: 'bad_signature' },
  ])('refuses: $name', ({ op, raw, code }) => {
    const result = createGateway()(op, raw());
    expect(codeOf(result)).toBe(code);
    if (code === 'schema_violation' && 'refused' in result) expect(result.refused.reasons[0]).toMatch(/^\/payload\/expectedVersion: /);
  });
});

describe('regression: Fastify\'s default Ajv options would change a signed payload before authentication', () => {
  // @fastify/ajv-compiler defaults to removeAdditional: true, useDefaults: true, coerceTypes: 'array'.
  // Validation runs before authentication, so a mutating validator turns schema_violation into
  // bad_signature (or worse, authenticates a payload the caller never sent). Configure Fastify with
  // removeAdditional: false, useDefaults: false, coerceTypes: false.
  it('strips an unexpected property instead of refusing it', () => {
    const ajv = createAjv({ removeAdditional: true, useDefaults: true, coerceTypes: 'array' });
    const payload: Record<string, unknown> = { ...COMMIT_PAYLOAD, priority: 'high' };
    expect(ajv.getSchema('https://maestro.dev/schemas/maestro/v1/graph.commit.json')!(payload)).toBe(true);
    expect(payload).not.toHaveProperty('priority');
  });

  it('coerces a string to a number', () => {
    const ajv = createAjv({ removeAdditional: true, useDefaults: true, coerceTypes: 'array' });
    const payload: Record<string, unknown> = { ...COMMIT_PAYLOAD, expectedVersion: '1' };
    expect(ajv.getSchema('https://maestro.dev/schemas/maestro/v1/graph.commit.json')!(payload)).toBe(true);
    expect(payload.expectedVersion).toBe(1);
  });
});
