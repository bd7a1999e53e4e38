/**
 * The gateway's HTTP surface as one app (src/app.ts): every route answers errors in the refusal
 * shape, and no caller input — however deep, large or mistyped — is answered 5xx.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProtocolReply } from '@maestro/contracts';
import { resolveSignalLimits } from '@maestro/telemetry';
import { registerGatewayRoutes } from '../src/app';
import { compileTrustStore, DEFAULT_AUTH_CONFIG, DEFAULT_IDEMPOTENCY_CONFIG, rawPublicKeyBase64, signRequest } from '../src/domain';
import { createProtocolPipeline, type ProtocolAuditEntry } from '../src/protocol-pipeline';
import { compileValidators } from '../src/validators';
import { compileTokenStore, hashSecret } from '../src/telemetry-tokens';
import { memoryOwnership } from './memory-ownership';
import { memoryStores } from './memory-stores';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const trust = compileTrustStore({ 'agent-1': { publicKey: rawPublicKeyBase64(publicKey), tenant: 'acme', capabilities: ['map.maestro.*'] } });
const MAX_BODY_BYTES = 65_536;

let app: FastifyInstance;
let audits: ProtocolAuditEntry[];
let errors: string[];
let published: number;

beforeEach(async () => {
  audits = [];
  errors = [];
  published = 0;
  const pipeline = createProtocolPipeline({
    trust, auth: DEFAULT_AUTH_CONFIG, parseLimits: { maxBodyBytes: MAX_BODY_BYTES, maxDepth: 64 }, validators: compileValidators(), policies: [],
    idempotency: DEFAULT_IDEMPOTENCY_CONFIG, retryWindowMs: 60_000, callTimeoutMs: 1_000, ...memoryStores(),
    send: async () => ({ correlationId: 'c', replyTo: 'r', status: 'ok', resultJson: '{}', refusalCode: null, reasons: [], detailsJson: null, service: 'stub', cpuMicros: 1, repliedAtMs: 0 } satisfies ProtocolReply),
    audit: async (entry) => {
      audits.push(entry);
      return `audit-${audits.length}`;
    },
    now: Date.now,
    logError: (_fields, message) => errors.push(message),
  });
  app = Fastify({ bodyLimit: MAX_BODY_BYTES });
  await registerGatewayRoutes(app, {
    pipeline,
    telemetry: {
      limits: resolveSignalLimits(), maxBatch: 10, tokens: compileTokenStore({ t1: { tenant: 'acme', sha256: hashSecret('secret'), assets: [] } }), ownership: memoryOwnership(),
      publish: async (records) => { published += records.length; }, audit: async () => {}, isUnavailable: () => false, retryAfterS: 1, now: Date.now,
    },
    maxBodyBytes: MAX_BODY_BYTES, maxJsonDepth: 64, logError: (_fields, message) => errors.push(message),
  });
});

afterEach(() => app.close());

const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('a deeply nested body', () => {
  // F5: this was 500 internal (canonical JSON overflowed the stack), an error log line and a "failed" audit, each time.
  it('is refused 400 nesting_too_deep at parse, audited as refused, with no error logged', async () => {
    const body = `{"envelope":{"caller":"agent-1"},"payload":{"charterId":"ch-1","steps":${deepArray(5_000)}}}`;
    const r = await app.inject({ method: 'POST', url: '/v1/protocol/maestro.goal.refine', payload: body, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ refused: { stage: 'parse', code: 'nesting_too_deep', reasons: [expect.stringContaining('64 levels')], details: { maxDepth: 64 } }, audit: 'audit-1' });
    expect(audits.map((a) => a.outcome)).toEqual(['refused']);
    expect(errors).toEqual([]);
  });

  it('is refused on telemetry too, before anything walks it', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/telemetry', payload: `{"signals":${deepArray(10_000)}}`, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ refused: { stage: 'parse', code: 'nesting_too_deep' } });
  });

  it('at the limit is read (and refused by the schema, not by the parser)', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/protocol/maestro.query.goals', payload: `{"payload":${deepArray(63)}}`, headers: { 'content-type': 'application/json' } });
    expect(r.json()).toMatchObject({ refused: { code: 'schema_violation' } });
  });
});

describe('every route answers errors in the refusal shape', () => {
  const signal = { assetId: 'svc-a', timestampMs: Date.now(), metrics: { latency_ms: 12 } };
  it.each([
    { what: 'malformed JSON on telemetry', url: '/v1/telemetry', payload: '{"signals":', headers: { 'content-type': 'application/json' }, status: 400, code: 'malformed_json' },
    { what: 'an empty JSON body on telemetry', url: '/v1/telemetry', payload: '', headers: { 'content-type': 'application/json' }, status: 400, code: 'malformed_json' },
    { what: 'no content type on telemetry', url: '/v1/telemetry', payload: JSON.stringify({ signals: [signal] }), headers: {}, status: 415, code: 'unsupported_media_type' },
    { what: 'a text body on telemetry', url: '/v1/telemetry', payload: 'hello', headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { what: 'a body over the limit on telemetry', url: '/v1/telemetry', payload: JSON.stringify({ signals: [signal], pad: 'x'.repeat(MAX_BODY_BYTES) }), headers: { 'content-type': 'application/json' }, status: 413, code: 'payload_too_large' },
    { what: 'a path that does not exist', url: '/v1/nothing', payload: '{}', headers: { 'content-type': 'application/json' }, status: 404, code: 'unknown_route' },
  ])('$what → $status $code', async ({ url, payload, headers, status, code }) => {
    const r = await app.inject({ method: 'POST', url, payload, headers });
    expect(r.statusCode).toBe(status);
    const body = r.json() as { refused: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['refused']);
    expect(body.refused).toMatchObject({ code, stage: expect.any(String), reasons: [expect.any(String)] });
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(published).toBe(0);
  });

  it('still accepts good telemetry', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/telemetry', payload: JSON.stringify({ signals: [signal] }), headers: { 'content-type': 'application/json', authorization: 'Bearer t1.secret' } });
    expect(r.statusCode).toBe(202);
    expect(published).toBe(1);
  });

  it('answers a protocol call without a content type as any other (the protocol routes read raw text)', async () => {
    const body = JSON.stringify(signRequest(privateKey, { operation: 'query.goals', caller: 'agent-1', tenant: 'acme', capability: 'map.maestro.query.goals', timestampMs: Date.now(), nonce: randomUUID(), payload: { charterId: 'ch-1' } }));
    const r = await app.inject({ method: 'POST', url: '/v1/protocol/maestro.query.goals', payload: body });
    expect(r.statusCode).toBe(200);
  });
});
