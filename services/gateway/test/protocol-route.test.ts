import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProtocolReply } from '@maestro/contracts';
import { BusError } from '@maestro/bus';
import { compileTrustStore, DEFAULT_AUTH_CONFIG, DEFAULT_IDEMPOTENCY_CONFIG, rawPublicKeyBase64, signRequest } from '../src/domain';
import { createProtocolPipeline, type ProtocolAuditEntry } from '../src/protocol-pipeline';
import { operationOfUrl, registerProtocolRoutes } from '../src/protocol-route';
import type { SendRequest } from '../src/dispatch';
import { compileValidators } from '../src/validators';
import { memoryStores } from './memory-stores';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const trust = compileTrustStore({ 'agent-1': { publicKey: rawPublicKeyBase64(publicKey), tenant: 'acme', capabilities: ['map.maestro.*'] } });

let app: FastifyInstance;
let audits: ProtocolAuditEntry[];
let send: SendRequest;

beforeEach(async () => {
  audits = [];
  send = async (_key, value) => ({ correlationId: 'c', replyTo: 'r', status: 'ok', resultJson: JSON.stringify({ echo: value.operation }), refusalCode: null, reasons: [], detailsJson: null, service: 'stub', cpuMicros: 7, repliedAtMs: 0 } satisfies ProtocolReply);
  const pipeline = createProtocolPipeline({
    trust, auth: DEFAULT_AUTH_CONFIG, parseLimits: { maxBodyBytes: 4_096 }, validators: compileValidators(), policies: [],
    idempotency: DEFAULT_IDEMPOTENCY_CONFIG, retryWindowMs: 60_000, callTimeoutMs: 1_000, ...memoryStores(),
    send: (...args) => send(...args),
    audit: async (entry) => {
      audits.push(entry);
      return `audit-${audits.length}`;
    },
    now: Date.now, logError: () => {},
  });
  app = Fastify();
  await registerProtocolRoutes(app, pipeline, { maxBodyBytes: 4_096 });
});

afterEach(() => app.close());

const body = (operation: string, payload: unknown) => JSON.stringify(signRequest(privateKey, { operation, caller: 'agent-1', tenant: 'acme', capability: `map.maestro.${operation}`, timestampMs: Date.now(), nonce: randomUUID(), payload }));
const inject = (url: string, payload: string, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });

describe('operationOfUrl', () => {
  it.each([
    ['/v1/protocol/maestro.goal.refine', 'goal.refine'],
    ['/v1/protocol/goal.refine?x=1', 'goal.refine'],
    ['/v1/protocol/maestro.plan', 'plan'],
    ['/v1/protocol/%E0%A4%A', '%E0%A4%A'],
  ])('%s names %s', (url, name) => expect(operationOfUrl(url)).toBe(name));
});

describe('the protocol routes', () => {
  it('answers {result, audit} and audits the call with the service\'s CPU time', async () => {
    const r = await inject('/v1/protocol/maestro.query.goals', body('query.goals', { charterId: 'ch-1' }));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ result: { echo: 'query.goals' }, audit: 'audit-1' });
    expect(audits[0]).toMatchObject({ outcome: 'ok', subjectId: 'ch-1', details: { metering: { cpuMicros: { service: 7 } } } });
  });

  it.each([
    ['malformed JSON', '/v1/protocol/maestro.query.goals', '{', 400, 'malformed_json'],
    ['an empty body', '/v1/protocol/maestro.query.goals', '', 400, 'malformed_json'],
    ['an unknown operation', '/v1/protocol/maestro.nope', '{}', 404, 'unknown_operation'],
    ['a body over the limit', '/v1/protocol/maestro.query.goals', JSON.stringify({ pad: 'x'.repeat(5_000) }), 413, 'payload_too_large'],
    ['a body that is not an envelope', '/v1/protocol/maestro.query.goals', '[1]', 400, 'schema_violation'],
  ])('refuses %s, audited', async (_what, url, payload, status, code) => {
    const r = await inject(url, payload);
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject({ refused: { code }, audit: 'audit-1' });
    expect(audits).toHaveLength(1);
  });

  it('turns a timeout into 504 with Retry-After, and sends the retry again with the first attempt\'s correlation id', async () => {
    const sent: (string | undefined)[] = [];
    send = async (_key, _value, options) => {
      sent.push(options.correlationId);
      throw new BusError('REQUEST_TIMEOUT', 'no reply');
    };
    const payload = { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 };
    const first = await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-12345678' });
    expect(first.statusCode).toBe(504);
    expect(first.headers['retry-after']).toBe('1');
    await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-12345678' });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]).toBe(sent[0]);
    expect(audits.map((a) => a.details.retried)).toEqual([false, true]);
    // Without a key every call is new.
    await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload));
    expect(sent[2]).toBeUndefined();
  });

  it('gives a retry the outcome of the attempt that answered, once one has', async () => {
    let answer: 'timeout' | 'ok' = 'timeout';
    send = async (_key, _value, options) => {
      if (answer === 'timeout') throw new BusError('REQUEST_TIMEOUT', 'no reply');
      return { correlationId: options.correlationId ?? 'c', replyTo: 'r', status: 'ok', resultJson: JSON.stringify({ version: 1 }), refusalCode: null, reasons: [], detailsJson: null, service: 'stub', cpuMicros: 1, repliedAtMs: 0 } satisfies ProtocolReply;
    };
    const payload = { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 };
    expect((await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-87654321' })).statusCode).toBe(504);
    answer = 'ok';
    const retry = await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-87654321' });
    expect(retry.json()).toMatchObject({ result: { version: 1 } });
    const again = await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-87654321' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(retry.json());
  });

  it('answers 503 unavailable when the broker cannot be reached', async () => {
    send = async () => {
      const error = new Error('Connection error: connect ECONNREFUSED');
      error.name = 'KafkaJSConnectionError';
      throw error;
    };
    const r = await inject('/v1/protocol/maestro.query.goals', body('query.goals', { charterId: 'ch-1' }));
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.json()).toMatchObject({ refused: { stage: 'dispatch', code: 'unavailable' } });
  });

  it('answers a held charter 503 state_unreadable with a minute\'s Retry-After, and keeps no response for its Idempotency-Key', async () => {
    let held = true;
    send = async (_key, value) => (held
      ? { correlationId: 'c', replyTo: 'r', status: 'refused', resultJson: null, refusalCode: 'state_unreadable', reasons: ['charter \'ch-1\' is held by dispatcher'], detailsJson: null, service: 'dispatcher', cpuMicros: 0, repliedAtMs: 0 }
      : { correlationId: 'c', replyTo: 'r', status: 'ok', resultJson: JSON.stringify({ echo: value.operation }), refusalCode: null, reasons: [], detailsJson: null, service: 'dispatcher', cpuMicros: 1, repliedAtMs: 0 }) satisfies ProtocolReply;
    const payload = { charterId: 'ch-1', executorId: 'w1' };
    const first = await inject('/v1/protocol/maestro.dispatch.next', body('dispatch.next', payload), { 'idempotency-key': 'key-held-0001' });
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('60');
    expect(first.json()).toMatchObject({ refused: { stage: 'dispatch', code: 'state_unreadable' } });
    // Once the hold is lifted, the retry with the same key is decided, not answered from a stored 503.
    held = false;
    const retry = await inject('/v1/protocol/maestro.dispatch.next', body('dispatch.next', payload), { 'idempotency-key': 'key-held-0001' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ result: { echo: 'dispatch.next' } });
  });

  it('replays the stored response to a retry and refuses the key with another payload', async () => {
    const payload = { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 };
    const first = await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-abcdefgh' });
    const retry = await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', payload), { 'idempotency-key': 'key-abcdefgh' });
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(audits.map((a) => a.outcome)).toEqual(['ok', 'replayed']);
    const other = await inject('/v1/protocol/maestro.graph.commit', body('graph.commit', { ...payload, expectedVersion: 2 }), { 'idempotency-key': 'key-abcdefgh' });
    expect(other.statusCode).toBe(409);
  });
});
