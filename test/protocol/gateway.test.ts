/**
 * The MAESTRO gateway as a process against the real Kafka, registry and Redis: every stage of
 * POST /v1/protocol/maestro.<operation>, with a trust store of freshly generated ed25519 keys.
 * The planner and dispatcher are not wired to answer protocol requests yet (issue 5, in progress
 * elsewhere), so a small responder on protocol.requests stands in for them: it proves dispatch,
 * the reply path, refusals coming back from a service, the deadline and the audit record.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type ProtocolReply, type ProtocolRequest } from '@maestro/contracts';
import { createBatchConsumer, silentLogger, subscription, type BatchConsumer } from '@maestro/bus';
import { rawPublicKeyBase64, signRequest } from '../../services/gateway/src/domain';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('proto');
const dir = mkdtempSync(join(tmpdir(), 'maestro-gateway-'));
const keys = { acme: generateKeyPairSync('ed25519'), reader: generateKeyPairSync('ed25519'), globex: generateKeyPairSync('ed25519'), stranger: generateKeyPairSync('ed25519') };
const callers = {
  'agent-acme': { key: keys.acme.privateKey, tenant: 'acme', capabilities: ['map.maestro.*'] },
  'reader-acme': { key: keys.reader.privateKey, tenant: 'acme', capabilities: ['map.maestro.query.goals'] },
  'agent-globex': { key: keys.globex.privateKey, tenant: 'globex', capabilities: ['map.maestro.*'] },
} as const;
type Caller = keyof typeof callers;
const MAX_BODY_BYTES = 65_536;

let bus: TestBus;
let responder: BatchConsumer;
let gateway: SpawnedService;
const seen: ProtocolRequest[] = [];

/** Stands in for the planner and dispatcher: answers by charter id. */
function answer(request: ProtocolRequest): Omit<ProtocolReply, 'correlationId' | 'replyTo'> | null {
  const base = { resultJson: null, refusalCode: null, reasons: [], detailsJson: null, service: 'stub', cpuMicros: 1_500, repliedAtMs: Date.now() };
  switch (request.charterId) {
    case 'ch-silent': return null;
    case 'ch-conflict': return { ...base, status: 'refused', refusalCode: 'version_conflict', reasons: ['expected version 1, the current version is 3'], detailsJson: JSON.stringify({ expectedVersion: 1, currentVersion: 3 }) };
    case 'ch-broken': return { ...base, status: 'error', refusalCode: 'internal', reasons: ['plan store unreachable'] };
    default: {
      const n = seen.filter((r) => r.charterId === request.charterId).length;
      return { ...base, status: 'ok', resultJson: JSON.stringify({ operation: request.operation, tenant: request.tenant, caller: request.caller, payload: JSON.parse(request.payloadJson) as unknown, n }) };
    }
  }
}

interface Answer {
  result?: unknown;
  refused?: { stage: string; code: string; reasons: string[]; details?: Record<string, unknown> };
  audit?: string;
}
interface Called { status: number; body: Answer; headers: Headers }

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Called> {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.json() as Answer, headers: response.headers };
}

function signed(operation: string, payload: unknown, options: { caller?: Caller; tenant?: string; capability?: string; key?: KeyObject; nonce?: string } = {}) {
  const caller = options.caller ?? 'agent-acme';
  return signRequest(options.key ?? callers[caller].key, {
    operation, caller, tenant: options.tenant ?? callers[caller].tenant, capability: options.capability ?? `map.maestro.${operation}`,
    timestampMs: Date.now(), nonce: options.nonce ?? randomUUID(), payload,
  });
}

function call(operation: string, payload: unknown, options: Parameters<typeof signed>[2] & { idempotencyKey?: string } = {}): Promise<Called> {
  return post(`/v1/protocol/maestro.${operation}`, JSON.stringify(signed(operation, payload, options)), options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {});
}

async function auditOf(id: string): Promise<AuditRecord> {
  return eventually(async () => (await bus.readValues(topics.audit)).find((a) => a.auditId === id), 30_000, `audit record ${id}`);
}

function expectRefused(r: Called, status: number, stage: string, code: string): void {
  expect({ status: r.status, stage: r.body.refused?.stage, code: r.body.refused?.code }).toEqual({ status, stage, code });
  expect(r.body.audit).toMatch(/^[0-9a-f-]{36}$/);
}

beforeAll(async () => {
  const store = Object.fromEntries(Object.entries(callers).map(([id, c]) => [id, { publicKey: rawPublicKeyBase64(keys[id === 'agent-acme' ? 'acme' : id === 'reader-acme' ? 'reader' : 'globex'].publicKey), tenant: c.tenant, capabilities: c.capabilities }]));
  writeFileSync(join(dir, 'trust.json'), JSON.stringify(store));
  bus = await createTestBus(prefix, [topics.protocolRequests, topics.protocolReplies, topics.audit]);
  responder = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}stub-services`, logger: silentLogger,
    subscriptions: [subscription(topics.protocolRequests, async (records) => {
      const replies = [];
      for (const { value } of records) {
        seen.push(value);
        const reply = answer(value);
        if (reply) replies.push({ key: value.replyTo, value: { ...reply, correlationId: value.correlationId, replyTo: value.replyTo } });
      }
      if (replies.length) await bus.producer.send(topics.protocolReplies, replies);
    })],
  });
  await responder.start();
  gateway = await spawnService('gateway', {
    MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json'),
    GATEWAY_CALL_TIMEOUT_MS: '3000', GATEWAY_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  });
  // The reply group must own its partitions before the first call, or an early reply is skipped.
  await eventually(async () => (await fetch(`${gateway.url}/readyz`)).ok, 60_000, 'the gateway to be ready');
});

afterAll(async () => {
  await gateway?.stop('SIGTERM');
  await responder?.stop();
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /v1/protocol/maestro.<operation>: bad input is refused with a structured 4xx, never a 5xx', () => {
  it('refuses malformed JSON at parse (400), audited', async () => {
    const r = await post('/v1/protocol/maestro.query.goals', '{"envelope": {');
    expectRefused(r, 400, 'parse', 'malformed_json');
    const audit = await auditOf(r.body.audit as string);
    expect(audit).toMatchObject({ service: 'gateway', kind: 'protocol.call', outcome: 'refused' });
  });

  it('refuses an unknown operation (404) listing the operations', async () => {
    const r = await post('/v1/protocol/maestro.graph.explode', '{}');
    expectRefused(r, 404, 'parse', 'unknown_operation');
    expect(r.body.refused?.details?.operations).toEqual(expect.arrayContaining(['charter.declare', 'goal.refine', 'query.goals', 'plan', 'allocate', 'replan']));
    expect(r.body.refused?.reasons[0]).toMatch(/goal\.refine/);
  });

  it('refuses a schema violation (400) naming the field', async () => {
    const r = await call('graph.commit', { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 'one' });
    expectRefused(r, 400, 'validate', 'schema_violation');
    expect(r.body.refused?.reasons.join('\n')).toMatch(/^\/payload\/expectedVersion: /m);
    const missing = await call('query.goals', {});
    expect(missing.body.refused?.reasons).toContain('/payload/charterId: is required');
  });

  it('refuses an oversized body (413)', async () => {
    const r = await post('/v1/protocol/maestro.query.goals', JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES + 10) }));
    expectRefused(r, 413, 'parse', 'payload_too_large');
  });

  it('refuses a missing signature, a wrong one, a zeroed one and an unknown caller (401)', async () => {
    const forged = await call('query.goals', { charterId: 'ch-1' }, { key: keys.stranger.privateKey });
    expectRefused(forged, 401, 'authenticate', 'bad_signature');
    const body = signed('query.goals', { charterId: 'ch-1' });
    const zeroed = await post('/v1/protocol/maestro.query.goals', JSON.stringify({ ...body, envelope: { ...body.envelope, signature: `ed25519:${'A'.repeat(86)}==` } }));
    expectRefused(zeroed, 401, 'authenticate', 'bad_signature');
    const tampered = await post('/v1/protocol/maestro.query.goals', JSON.stringify({ ...body, payload: { charterId: 'ch-2' } }));
    expectRefused(tampered, 401, 'authenticate', 'bad_signature');
    const { signature: _omitted, ...unsigned } = body.envelope;
    const absent = await post('/v1/protocol/maestro.query.goals', JSON.stringify({ ...body, envelope: unsigned }));
    expectRefused(absent, 401, 'authenticate', 'bad_signature');
    expect(absent.body.refused?.reasons.join(' ')).toMatch(/carries no signature/);
    const stranger = signRequest(keys.stranger.privateKey, { operation: 'query.goals', caller: 'nobody', tenant: 'acme', capability: 'map.maestro.query.goals', timestampMs: Date.now(), nonce: randomUUID(), payload: { charterId: 'ch-1' } });
    expectRefused(await post('/v1/protocol/maestro.query.goals', JSON.stringify(stranger)), 401, 'authenticate', 'unknown_caller');
  });

  it('refuses a stale timestamp and a replayed nonce (401)', async () => {
    const body = signed('query.goals', { charterId: 'ch-replay' });
    expect((await post('/v1/protocol/maestro.query.goals', JSON.stringify(body))).status).toBe(200);
    expectRefused(await post('/v1/protocol/maestro.query.goals', JSON.stringify(body)), 401, 'authenticate', 'replayed_nonce');
    const stale = signRequest(keys.acme.privateKey, { operation: 'query.goals', caller: 'agent-acme', tenant: 'acme', capability: 'map.maestro.query.goals', timestampMs: Date.now() - 3_600_000, nonce: randomUUID(), payload: { charterId: 'ch-1' } });
    expectRefused(await post('/v1/protocol/maestro.query.goals', JSON.stringify(stale)), 401, 'authenticate', 'stale_timestamp');
  });

  it('refuses a caller without the capability (403)', async () => {
    const r = await call('graph.commit', { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 }, { caller: 'reader-acme' });
    expectRefused(r, 403, 'authorise', 'missing_capability');
    expect(r.body.refused?.reasons[0]).toMatch(/map\.maestro\.graph\.commit/);
    const named = await call('graph.commit', { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 }, { capability: 'map.maestro.graph.diff' });
    expectRefused(named, 403, 'authorise', 'missing_capability');
  });

  it('refuses acting for another tenant (403), in the envelope or in the payload', async () => {
    expectRefused(await call('query.goals', { charterId: 'ch-1' }, { tenant: 'globex' }), 403, 'authorise', 'tenant_mismatch');
    const declare = await call('charter.declare', { charterId: 'ch-x', tenant: 'globex', budget: { cost: 10, tokens: 1000 }, deadlineMs: 60_000, executors: [{ id: 'ex-1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: [] }], minTrust: 0.5 });
    expectRefused(declare, 403, 'authorise', 'tenant_mismatch');
    expect(declare.body.refused?.reasons[0]).toMatch(/payload names tenant 'globex'/);
  });

  it('returns the stored response to a retry with the same Idempotency-Key, and refuses the key with another body (409)', async () => {
    const idempotencyKey = `key-${randomUUID()}`;
    const payload = { charterId: 'ch-idem', goalId: 'g-1', expectedVersion: 1 };
    const first = await call('graph.commit', payload, { idempotencyKey });
    expect(first.status).toBe(200);
    const retry = await call('graph.commit', payload, { idempotencyKey });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(seen.filter((r) => r.charterId === 'ch-idem')).toHaveLength(1);
    const other = await call('graph.commit', { ...payload, expectedVersion: 2 }, { idempotencyKey });
    expectRefused(other, 409, 'idempotency', 'idempotency_key_reused');
    expectRefused(await call('graph.commit', payload, { idempotencyKey: 'short' }), 400, 'validate', 'invalid_idempotency_key');
  });
});

describe('calls that reach dispatch (a stub service answers on protocol.requests)', () => {
  it('dispatches keyed by charter, answers {result, audit}, and audits the call with its metering', async () => {
    const r = await call('query.goals', { charterId: 'ch-ok', limit: 5 });
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual({ operation: 'query.goals', tenant: 'acme', caller: 'agent-acme', payload: { charterId: 'ch-ok', limit: 5 }, n: 1 });
    expect(r.headers.get('maestro-audit-id')).toBe(r.body.audit);
    const request = seen.find((s) => s.charterId === 'ch-ok')!;
    expect(request).toMatchObject({ operation: 'query.goals', tenant: 'acme', caller: 'agent-acme' });
    expect(request.deadlineAtMs - request.sentAtMs).toBe(3_000);
    const audit = await auditOf(r.body.audit as string);
    expect(audit).toMatchObject({ kind: 'protocol.call', outcome: 'ok', subjectId: 'ch-ok' });
    const details = JSON.parse(audit.detailsJson) as { metering: { wallClockMs: number; cpuMicros: { gateway: number; service: number; total: number } }; service: string };
    expect(details.service).toBe('stub');
    expect(details.metering.cpuMicros.service).toBe(1_500);
    expect(details.metering.cpuMicros.gateway).toBeGreaterThan(0);
    expect(details.metering.cpuMicros.total).toBe(details.metering.cpuMicros.gateway + 1_500);
    expect(details.metering.wallClockMs).toBeGreaterThan(0);
  });

  it('accepts the short alias /v1/protocol/<operation>', async () => {
    const r = await post('/v1/protocol/query.goals', JSON.stringify(signed('query.goals', { charterId: 'ch-alias' })));
    expect(r.status).toBe(200);
  });

  it('meters the budget an outcome report charges', async () => {
    const r = await call('outcome.report', { charterId: 'ch-meter', workOrderId: 'wo-1', status: 'completed', actualDurationMs: 1200, actualCost: 0.75, actualTokens: 300 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const details = JSON.parse((await auditOf(r.body.audit as string)).detailsJson) as { metering: { budgetCharged: unknown } };
    expect(details.metering.budgetCharged).toEqual({ cost: 0.75, tokens: 300 });
  });

  it('passes a service refusal through with its status, and a service failure as a 500 with an incident id', async () => {
    const conflict = await call('graph.commit', { charterId: 'ch-conflict', goalId: 'g-1', expectedVersion: 1 });
    expectRefused(conflict, 409, 'dispatch', 'version_conflict');
    expect(conflict.body.refused?.details).toEqual({ expectedVersion: 1, currentVersion: 3 });
    const broken = await call('graph.commit', { charterId: 'ch-broken', goalId: 'g-1', expectedVersion: 1 });
    expectRefused(broken, 500, 'dispatch', 'internal');
    expect(broken.body.refused?.reasons[0]).toMatch(/^incident [0-9a-f-]{36}/);
  });

  it('gives up at the call\'s deadline with 504 deadline_exceeded and Retry-After, and lets the retry run again', async () => {
    const idempotencyKey = `key-${randomUUID()}`;
    const payload = { charterId: 'ch-silent', goalId: 'g-1', expectedVersion: 1 };
    const started = Date.now();
    const r = await call('graph.commit', payload, { idempotencyKey });
    expectRefused(r, 504, 'dispatch', 'deadline_exceeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(r.headers.get('retry-after')).toBe('1');
    // A retryable answer is not stored: the retry is dispatched again rather than replayed.
    const retry = await call('graph.commit', payload, { idempotencyKey });
    expect(retry.status).toBe(504);
    expect(retry.body.audit).not.toBe(r.body.audit);
  });
});

describe('the API description and boot', () => {
  it('serves an OpenAPI document generated from the route schemas, whose references all resolve', async () => {
    type Doc = { openapi: string; paths: Record<string, { post: { responses: Record<string, unknown> } }> };
    const doc = await (await fetch(`${gateway.url}/v1/openapi.json`)).json() as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/protocol/maestro.goal.refine', '/v1/protocol/maestro.plan', '/v1/protocol/{operation}']));
    expect(doc.paths['/v1/protocol/maestro.graph.commit']?.post.responses).toHaveProperty('409');
    // Telemetry validates in code, not with a route schema: its description is written beside the route.
    expect(Object.keys(doc.paths['/v1/telemetry']?.post.responses ?? {})).toEqual(expect.arrayContaining(['202', '400', '401', '403', '413', '415', '503']));
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      const target = ref.slice(2).split('/').reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('stops at boot naming GATEWAY_TRUST_STORE when the trust store is bad', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ 'agent-x': { publicKey: 'bm90IGEga2V5', tenant: 'acme', capabilities: [] } }));
    const bad = await spawnService('gateway', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'bad.json') }, { waitReady: false });
    const { code } = await bad.exited;
    expect(code).toBe(1);
    expect(bad.output.join('\n')).toMatch(/GATEWAY_TRUST_STORE: trust store: caller 'agent-x' has an unusable public key/);
  });
});

// The real planner, under a prefix of its own: the stub above would otherwise answer too.
describe('through the real planner', () => {
  const plannerPrefix = uniquePrefix('proto-planner');
  let planner: SpawnedService;
  let viaPlanner: SpawnedService;
  const charterId = 'ch-research-1';
  const step = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, durationMs: 2_000, cost: 0.5, tokens: 1_000, requirements: { capabilities: ['http'], minTrust: 0.5 }, ...extra });
  const callPlanner = (operation: string, payload: unknown): Promise<Called> => fetch(`${viaPlanner.url}/v1/protocol/maestro.${operation}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signed(operation, payload)),
  }).then(async (r) => ({ status: r.status, body: await r.json() as Answer, headers: r.headers }));

  beforeAll(async () => {
    const env = { MAESTRO_TOPIC_PREFIX: plannerPrefix, MAESTRO_REDIS_PREFIX: plannerPrefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json') };
    [planner, viaPlanner] = await Promise.all([spawnService('planner', env), spawnService('gateway', env)]);
    await eventually(async () => (await fetch(`${viaPlanner.url}/readyz`)).ok, 60_000, 'the second gateway to be ready');
  });

  afterAll(async () => {
    await Promise.all([viaPlanner?.stop('SIGTERM'), planner?.stop('SIGTERM')]);
  });

  it('declares a charter, then refines a goal into an analysed graph', async () => {
    const declared = await callPlanner('charter.declare', {
      charterId, tenant: 'acme', budget: { cost: 100, tokens: 200_000 }, deadlineMs: 60_000,
      executors: [{ id: 'worker-1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http', 'llm'] }], minTrust: 0.5,
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(200);
    const refined = await callPlanner('goal.refine', { charterId, goalId: 'g-report', steps: [step('fetch'), step('summarise')], dependencies: [{ from: 'fetch', to: 'summarise' }] });
    expect(refined.status, JSON.stringify(refined.body)).toBe(200);
    expect(JSON.stringify(refined.body.result)).toMatch(/criticalPath/);
    expect(refined.body.audit).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a cyclic graph naming the cycle, and an infeasible budget with the numbers', async () => {
    const cyclic = await callPlanner('goal.refine', {
      charterId, goalId: 'g-cycle', steps: [step('a'), step('b'), step('c')], dependencies: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }],
    });
    expectRefused(cyclic, 422, 'dispatch', 'cycle');
    expect(cyclic.body.refused?.reasons.join(' ')).toMatch(/a.*b.*c|c.*a/);
    const costly = await callPlanner('goal.refine', { charterId, goalId: 'g-costly', steps: [step('big', { cost: 5_000 })], dependencies: [] });
    expectRefused(costly, 422, 'dispatch', 'budget_exhausted');
    // 5,000 for the step plus 2,000 ms at 0.001 per ms on the only executor.
    expect(costly.body.refused?.reasons.join(' ')).toMatch(/\b5002\b/);
    expect(costly.body.refused?.reasons.join(' ')).toMatch(/\b100\b/);
  });
});
