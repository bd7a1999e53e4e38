/**
 * Regressions, against the real stack with the planner and dispatcher as their own processes: every
 * request gets a reply and an audit record, even when
 * - Redis refuses a command of it for good (WRONGTYPE on the charter's key): `infra()` made that a
 *   transient failure, so the batch was retried for ever, the caller got no reply, and every charter
 *   behind it on the partition waited;
 * - no service serves its operation (written straight to Kafka): the planner and the dispatcher each
 *   ignored it, so nobody replied or audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { topics, type AuditRecord, type ProtocolReply, type ProtocolRequest } from '@maestro/contracts';
import { charterScope } from '@maestro/protocol';
import { createKeyspace } from '@maestro/state';
import { eventually, uniquePrefix } from '../support/environment';
import { startProtocolServices, type ProtocolServices } from '../support/protocol-services';

const prefix = uniquePrefix('unanswered');
const keys = createKeyspace(prefix);
let services: ProtocolServices;

const REPLY_TO = 'gw-unanswered';
const charter = { budget: { cost: 1e9, tokens: 1e9 }, deadlineMs: 31_536_000_000, executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }], minTrust: 0.5 };

function request(operation: string, charterId: string, tenant: string, payload: Record<string, unknown>): ProtocolRequest {
  const now = Date.now();
  return {
    correlationId: randomUUID(), operation, charterId, tenant, caller: `agent-${tenant}`, replyTo: REPLY_TO,
    payloadJson: JSON.stringify({ charterId, ...payload }), deadlineAtMs: now + 60_000, sentAtMs: now,
  };
}

/** Writes requests straight to `protocol.requests` and waits for each one's reply (bounded: a missing reply is the defect). */
async function send(...requests: ProtocolRequest[]): Promise<ProtocolReply[]> {
  await services.bus.producer.send(topics.protocolRequests, requests.map((value) => ({ key: value.charterId, value })));
  const replies = await eventually(async () => {
    const all = await services.bus.readValues(topics.protocolReplies);
    const found = requests.map((r) => all.find((reply) => reply.correlationId === r.correlationId));
    return found.every((f) => f !== undefined) && (found as ProtocolReply[]);
  }, 30_000, `replies to ${requests.map((r) => r.operation).join(', ')}`);
  return replies;
}

async function auditOf(correlationId: string): Promise<AuditRecord> {
  return eventually(async () => (await services.bus.readValues(topics.audit)).find((a) => a.detailsJson.includes(correlationId)), 30_000, `the audit of ${correlationId}`);
}

beforeAll(async () => {
  services = await startProtocolServices(prefix, { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix }, 'unanswered');
});

afterAll(async () => {
  await services?.stop();
});

describe('a request Redis refuses for good', () => {
  it('is answered as an internal error with an incident id and audited, nothing is applied, and the partition moves on', async () => {
    // The charter's state key holds a list: every command of the commit script on it is WRONGTYPE.
    const key = keys.key('planner', 'charter', charterScope('acme', 'ch-wrongtype'));
    await services.redis.lpush(key, 'not a charter');
    const broken = request('charter.declare', 'ch-wrongtype', 'acme', charter);
    // Another tenant's charter of the same id: the same partition, right behind it.
    const behind = request('charter.declare', 'ch-wrongtype', 'globex', charter);
    const [brokenReply, behindReply] = await send(broken, behind);

    expect(brokenReply).toMatchObject({ status: 'error', refusalCode: 'internal', service: 'planner', replyTo: REPLY_TO });
    expect(brokenReply!.reasons[0]).toMatch(/^planner failed on charter\.declare; incident [0-9a-f-]{36}$/);
    expect(await services.redis.type(key)).toBe('list');
    const audit = await auditOf(broken.correlationId);
    expect(audit).toMatchObject({ kind: 'protocol.charter.declare', outcome: 'error', subjectId: 'ch-wrongtype', service: 'planner' });
    expect(JSON.parse(audit.detailsJson)).toMatchObject({ correlationId: broken.correlationId, code: 'internal' });

    expect(behindReply).toMatchObject({ status: 'ok', service: 'planner' });
  });
});

describe('a request for an operation no service serves', () => {
  it('is refused with unknown_operation, listing the operations, and audited, once', async () => {
    const stray = request('graph.delete', 'ch-stray', 'acme', {});
    const [reply] = await send(stray);
    expect(reply).toMatchObject({ status: 'refused', refusalCode: 'unknown_operation', service: 'planner', replyTo: REPLY_TO });
    expect(reply!.reasons[0]).toMatch(/^'graph\.delete' is not an operation any Maestro service serves; the operations are .*charter\.declare.*dispatch\.next/);
    const audit = await auditOf(stray.correlationId);
    expect(audit).toMatchObject({ kind: 'protocol.graph.delete', outcome: 'refused', subjectId: 'ch-stray' });

    // Owned operations are still answered by their owner alone.
    const owned = request('dispatch.next', 'ch-stray', 'acme', { executorId: 'w1' });
    const [ownedReply] = await send(owned);
    expect(ownedReply).toMatchObject({ status: 'refused', refusalCode: 'not_found', service: 'dispatcher' });
    const all = await services.bus.readValues(topics.protocolReplies);
    expect(all.filter((r) => r.correlationId === stray.correlationId || r.correlationId === owned.correlationId)).toHaveLength(2);
  });
});
