/**
 * Issue 14, against the real stack with the planner and dispatcher as their own processes:
 * - a schema-invalid payload written straight to `protocol.requests` (no gateway) is refused with
 *   `schema_violation` and its reasons; it used to crash charter.declare (`TypeError p.executors.map`);
 * - a request decided after its deadline is refused (`deadline_exceeded`) and not applied, so a retry
 *   with the same correlation id is applied; a request that was applied gets its kept reply again
 *   whatever its own deadline says (F2's service half);
 * - another tenant's charter cannot be told from an unused id (F7): charter ids are per tenant;
 * - F1: two goals of 1,000 independent steps on one charter, dispatch.next on each — the second's
 *   execution record (1.35 MB of JSON) used to exceed the broker's limit, and the dispatcher retried
 *   that batch for ever after answering. Now the record reaches the `executions` topic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { topics, type ProtocolReply, type ProtocolRequest } from '@maestro/contracts';
import { eventually, uniquePrefix } from '../support/environment';
import { startProtocolServices, type ProtocolServices } from '../support/protocol-services';

const prefix = uniquePrefix('poison');
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix };
let services: ProtocolServices;
let bus: ProtocolServices['bus'];
let gateway: ProtocolServices['gateway'];

interface Reply { status: ProtocolReply['status']; result: Record<string, unknown> | null; code: string | null; reasons: string[]; details: Record<string, unknown> | null }

const parse = (raw: ProtocolReply): Reply => ({
  status: raw.status, result: raw.resultJson ? (JSON.parse(raw.resultJson) as Record<string, unknown>) : null, code: raw.refusalCode, reasons: raw.reasons,
  details: raw.detailsJson ? (JSON.parse(raw.detailsJson) as Record<string, unknown>) : null,
});

async function call(operation: string, charterId: string, payload: Record<string, unknown>, tenant = 'acme'): Promise<Reply> {
  const now = Date.now();
  return parse(await gateway.request(charterId, {
    operation, charterId, tenant, caller: `agent-${tenant}`, payloadJson: JSON.stringify({ charterId, ...payload }), deadlineAtMs: now + 30_000, sentAtMs: now,
  }, { timeoutMs: 30_000 }));
}

const DIRECT_REPLY_TO = 'gw-direct';

/** Writes a request straight to Kafka, as anything that can reach the broker can, and waits for its reply. */
async function direct(request: Omit<ProtocolRequest, 'replyTo'>, replies = 1): Promise<Reply[]> {
  await bus.producer.send(topics.protocolRequests, [{ key: request.charterId, value: { ...request, replyTo: DIRECT_REPLY_TO } }]);
  const found = await eventually(async () => {
    const mine = (await bus.readValues(topics.protocolReplies)).filter((r) => r.correlationId === request.correlationId);
    return mine.length >= replies ? mine : undefined;
  }, 60_000, `reply to ${request.operation} ${request.correlationId}`);
  return found.map(parse);
}

function request(operation: string, charterId: string, payload: unknown, overrides: Partial<ProtocolRequest> = {}): Omit<ProtocolRequest, 'replyTo'> {
  const now = Date.now();
  return {
    correlationId: randomUUID(), operation, charterId, tenant: 'acme', caller: 'agent-acme',
    payloadJson: JSON.stringify(payload), deadlineAtMs: now + 30_000, sentAtMs: now, ...overrides,
  };
}

const executor = (id: string) => ({ id, speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] });
const charter = (executors = [executor('w1'), executor('w2')]) => ({ budget: { cost: 1e9, tokens: 1e9 }, deadlineMs: 31_536_000_000, executors, minTrust: 0.5 });
const independentSteps = (count: number, tag: string) => Array.from({ length: count }, (_, i) => ({
  id: `${tag}-step-${i}`, name: `step ${i} of ${tag}`, durationMs: 1_000, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 },
}));

beforeAll(async () => {
  services = await startProtocolServices(prefix, env, 'poison');
  ({ bus, gateway } = services);
});

afterAll(async () => {
  await services?.stop();
});

describe('a request written straight to Kafka', () => {
  it('with a schema-invalid payload is refused with schema_violation and its reasons, and the planner keeps serving', async () => {
    const [reply] = await direct(request('charter.declare', 'ch-bad', { charterId: 'ch-bad', ...charter(), executors: 'everyone', minTrust: 3 }));
    expect(reply).toMatchObject({ status: 'refused', code: 'schema_violation' });
    expect(reply!.details!.fields).toEqual(expect.arrayContaining(['/payload/executors', '/payload/minTrust']));
    expect(reply!.reasons.some((r) => r.startsWith('/payload/executors: '))).toBe(true);
    // Nothing was declared, and the next call is served.
    expect(await call('query.goals', 'ch-bad', {})).toMatchObject({ status: 'refused', code: 'not_found' });
    expect(await call('charter.declare', 'ch-bad', charter())).toMatchObject({ status: 'ok', result: { revision: 1 } });
  });

  it('with a payload that is not JSON is refused, for the dispatcher too', async () => {
    const [reply] = await direct(request('dispatch.next', 'ch-bad', '{"charterId":', { payloadJson: '{"charterId":' }));
    expect(reply).toMatchObject({ status: 'refused', code: 'schema_violation' });
    expect(reply!.reasons[0]).toMatch(/^\/payload: is not JSON/);
  });
});

describe('a request past its deadline', () => {
  it('is refused with deadline_exceeded and not applied; the retry with the same correlation id is applied', async () => {
    const late = request('charter.declare', 'ch-late', { charterId: 'ch-late', ...charter() }, { deadlineAtMs: Date.now() - 1 });
    const [refusedReply] = await direct(late);
    expect(refusedReply).toMatchObject({ status: 'refused', code: 'deadline_exceeded' });
    expect(await call('query.goals', 'ch-late', {})).toMatchObject({ status: 'refused', code: 'not_found' });

    const [applied] = await direct({ ...late, deadlineAtMs: Date.now() + 30_000 }, 2).then((all) => all.slice(1));
    expect(applied).toMatchObject({ status: 'ok', result: { revision: 1, redeclared: false } });
  });

  it('that was applied before gets its kept reply again, whatever its own deadline says', async () => {
    const first = request('charter.declare', 'ch-kept', { charterId: 'ch-kept', ...charter() });
    const [reply] = await direct(first);
    expect(reply).toMatchObject({ status: 'ok', result: { revision: 1 } });
    // The same correlation id again (a redelivery, or the gateway's retry), now with a passed deadline.
    const again = await direct({ ...first, deadlineAtMs: Date.now() - 1 }, 2);
    expect(again[1]).toEqual(again[0]);
    expect(await call('query.goals', 'ch-kept', {})).toMatchObject({ status: 'ok' });
  });
});

describe('another tenant\'s charter', () => {
  /** A reply with the charter id and tenant replaced, to compare answers about two different ids. */
  const shape = (reply: Reply, charterId: string, tenant: string) => JSON.parse(JSON.stringify(reply).replaceAll(charterId, '<id>').replaceAll(tenant, '<tenant>')) as unknown;

  it('cannot be told from an unused id: declare, query, refine, dispatch and trace answer the same (F7)', async () => {
    await call('charter.declare', 'ch-owned', charter());
    await call('plan', 'ch-owned', { goalId: 'g-1', steps: independentSteps(2, 'g1'), dependencies: [] });

    const probes: [string, Record<string, unknown>][] = [
      ['query.goals', {}],
      ['graph.commit', { goalId: 'g-1', expectedVersion: 1 }],
      ['graph.diff', { goalId: 'g-1', fromVersion: 1, toVersion: 1 }],
      ['dispatch.next', { executorId: 'w1' }],
      ['credit.trace', { goalId: 'g-1' }],
    ];
    for (const [operation, payload] of probes) {
      const taken = await call(operation, 'ch-owned', payload, 'globex');
      const unused = await call(operation, 'ch-never-declared', payload, 'globex');
      expect(taken.code, operation).toBe('not_found');
      expect(shape(taken, 'ch-owned', 'globex'), operation).toEqual(shape(unused, 'ch-never-declared', 'globex'));
    }

    // Declaring the taken id is declaring an unused one: globex gets a charter of its own.
    const taken = await call('charter.declare', 'ch-owned', charter(), 'globex');
    const unused = await call('charter.declare', 'ch-unused', charter(), 'globex');
    expect(taken).toMatchObject({ status: 'ok', result: { tenant: 'globex', revision: 1, redeclared: false } });
    const { declaredAtMs: _a, ...takenResult } = taken.result as Record<string, unknown>;
    const { declaredAtMs: _b, ...unusedResult } = unused.result as Record<string, unknown>;
    expect({ ...takenResult, charterId: '<id>' }).toEqual({ ...unusedResult, charterId: '<id>' });

    // Two charters of one id, one per tenant, each seeing only its own goals.
    expect(await call('query.goals', 'ch-owned', {}, 'globex')).toMatchObject({ status: 'ok', result: { total: 0 } });
    expect(await call('query.goals', 'ch-owned', {})).toMatchObject({ status: 'ok', result: { total: 1, goals: [{ goalId: 'g-1' }] } });
  });
});

describe('a charter whose execution record outgrows the broker\'s message limit as JSON (F1)', () => {
  it('dispatches from two goals of 1,000 independent steps, and the record reaches the executions topic', async () => {
    await call('charter.declare', 'ch-f1', charter());
    for (const goalId of ['g-a', 'g-b']) {
      expect(await call('plan', 'ch-f1', { goalId, steps: independentSteps(1_000, goalId), dependencies: [] })).toMatchObject({ status: 'ok' });
    }
    for (const goalId of ['g-a', 'g-b']) {
      const next = await call('dispatch.next', 'ch-f1', { executorId: 'w1', goalId });
      expect(next, `${next.code} ${next.reasons.join('; ')}`).toMatchObject({ status: 'ok' });
      expect((next.result!.workOrders as unknown[]).length).toBe(1);
    }
    // The state the 200s describe is on the compacted topic, not only in Redis: the charter record
    // lists both goals running, and each goal's execution has a record of its own.
    const records = await eventually(async () => {
      const mine = (await bus.readValues(topics.executions)).filter((r) => r.charterId === 'ch-f1' && r.tenant === 'acme');
      return mine.some((r) => r.goalId === null && r.running === 2) ? mine : undefined;
    }, 60_000, 'the executions records of both goals');
    const latest = (goalId: string) => records.filter((r) => r.goalId === goalId).at(-1)!;
    const states = ['g-a', 'g-b'].map((goalId) => JSON.parse(latest(goalId).stateJson) as { goalId: string; state: { workOrders: { workOrderId: string }[] } });
    expect(states.map((s) => [s.goalId, s.state.workOrders.length])).toEqual([['g-a', 1], ['g-b', 1]]);
    // As one record, as before, the two would be over the broker's limit.
    expect(Buffer.byteLength(latest('g-a').stateJson) + Buffer.byteLength(latest('g-b').stateJson)).toBeGreaterThan(1_048_588);
    // And the partition is not stuck: the next call on the charter is answered.
    expect(await call('outcome.report', 'ch-f1', { workOrderId: states[1]!.state.workOrders[0]!.workOrderId, status: 'completed', actualDurationMs: 1_000, actualCost: 1 }))
      .toMatchObject({ status: 'ok', result: { goalId: 'g-b' } });
  });
});
