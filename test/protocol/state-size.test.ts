/**
 * Size discipline against the real broker and Redis (issue 14, F1): a decision whose state record
 * would not fit is refused before anything is committed, and a record the broker can never take is
 * a permanent error from the producer rather than a send retried for ever.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type ProtocolRequest } from '@maestro/contracts';
import { BusError, createCoalescingProducer, type InboundRecord, type TopicBatch } from '@maestro/bus';
import { createProtocolHandler, ok, type Operation } from '@maestro/protocol';
import pino from 'pino';
import { useBusAndRedis } from '../support/bus-and-redis';

const stack = useBusAndRedis('state-size', [topics.protocolReplies, topics.audit, topics.plans]);
const { keys } = stack;

/** A `plans` charter record whose state is `json`. */
function planRecord(charterId: string, json: string): TopicBatch {
  return {
    spec: topics.plans,
    records: [{ key: charterId, value: { key: charterId, kind: 'charter', charterId, goalId: null, version: null, tenant: 'acme', revision: 1, status: 'declared', updatedAtMs: Date.now(), stateJson: json } }],
  } as TopicBatch;
}

let audits = 0;

/** The protocol handler with a 32,000-byte record limit, the real codecs, broker and Redis. */
function handlerFor(operation: Operation) {
  return createProtocolHandler({
    service: 'planner', producer: stack.bus.producer, redis: stack.redis, logger: pino({ level: 'silent' }), now: Date.now,
    operations: { 'graph.commit': operation }, maxStateRecordBytes: 32_000,
    encode: (spec, value) => stack.bus.codecs.encode(spec, value as never),
    appliedKey: (correlationId) => stack.keys.key('planner', 'applied', correlationId), appliedTtlMs: 60_000, stateRecords: async () => [],
    audit: (entry) => ({ key: entry.subjectId, value: { auditId: `a-${++audits}-${randomUUID()}`, service: 'planner', kind: entry.kind, outcome: entry.outcome, subjectId: entry.subjectId, reasons: [...entry.reasons], detailsJson: JSON.stringify(entry.details ?? {}), atMs: Date.now(), traceparent: null } satisfies AuditRecord }),
  });
}

/** A valid graph.commit request for the charter, as the gateway would send it. */
function request(charterId: string): ProtocolRequest {
  return {
    correlationId: randomUUID(), replyTo: 'gw-size', operation: 'graph.commit', charterId, tenant: 'acme', caller: 'agent',
    payloadJson: JSON.stringify({ charterId, goalId: 'g', expectedVersion: 1 }), deadlineAtMs: Date.now() + 10_000, sentAtMs: Date.now(),
  };
}

const inbound = (value: ProtocolRequest): InboundRecord<ProtocolRequest> => ({ key: value.charterId, value, partition: 0, offset: '0', timestampMs: Date.now(), headers: {}, trace: null });

describe('a decision whose state record would not fit', () => {
  it('is refused with limit_exceeded and nothing is committed or kept', async () => {
    const charterId = `c-${randomUUID()}`;
    const stateKey = keys.key('planner', 'charter', charterId);
    // Incompressible state: what it measures is what it would send.
    const json = JSON.stringify({ revision: 1, charterId, blob: randomBytes(48_000).toString('base64') });
    const operation: Operation = async () => ok({ revision: 1 }, { commit: { guard: { key: stateKey, expectedRevision: 0 }, writes: [{ key: stateKey, json }] }, batches: [planRecord(charterId, json)] });
    const value = request(charterId);
    await handlerFor(operation)([inbound(value)], { topic: 'protocol.requests', partition: 0 });

    const reply = (await stack.bus.readValues(topics.protocolReplies)).find((r) => r.correlationId === value.correlationId);
    expect(reply).toMatchObject({ status: 'refused', refusalCode: 'limit_exceeded' });
    expect(reply!.reasons[0]).toMatch(/over the 32000 bytes a record may take; nothing was applied/);
    expect(await stack.redis.get(stateKey)).toBeNull();
    expect(await stack.redis.get(keys.key('planner', 'applied', value.correlationId))).toBeNull();
    expect((await stack.bus.readValues(topics.plans)).filter((p) => p.charterId === charterId)).toEqual([]);
  });
});

describe('a decision whose reply would not fit', () => {
  it('is refused with limit_exceeded, its state not committed', async () => {
    const charterId = `c-${randomUUID()}`;
    const stateKey = stack.keys.key('planner', 'charter', charterId);
    const json = JSON.stringify({ revision: 1, charterId });
    const operation: Operation = async () => ok({ blob: randomBytes(48_000).toString('base64') }, { commit: { guard: { key: stateKey, expectedRevision: 0 }, writes: [{ key: stateKey, json }] }, batches: [planRecord(charterId, json)] });
    const value = request(charterId);
    await handlerFor(operation)([inbound(value)], { topic: 'protocol.requests', partition: 0 });
    const reply = (await stack.bus.readValues(topics.protocolReplies)).find((r) => r.correlationId === value.correlationId);
    expect(reply).toMatchObject({ status: 'refused', refusalCode: 'limit_exceeded' });
    expect(reply!.reasons[0]).toContain("the protocol.replies record 'gw-size'");
    expect(await stack.redis.get(stateKey)).toBeNull();
  });
});

describe('a record the broker can never take', () => {
  it('fails its send with RECORD_TOO_LARGE, not retryable, and the sends merged with it still go out', async () => {
    const producer = createCoalescingProducer(stack.bus.producer, { sendTimeoutMs: 30_000 });
    const huge = planRecord('c-huge', JSON.stringify({ blob: randomBytes(1_100_000).toString('base64') }));
    const fine = planRecord(`c-fine-${randomUUID()}`, '{"revision":1}');
    const [hugeSend, fineSend] = await Promise.allSettled([producer.sendMany([huge]), producer.sendMany([fine])]);
    expect(hugeSend.status).toBe('rejected');
    const error = (hugeSend as PromiseRejectedResult).reason as BusError;
    expect(error).toBeInstanceOf(BusError);
    expect(error).toMatchObject({ code: 'RECORD_TOO_LARGE', retryable: false });
    expect(fineSend.status).toBe('fulfilled');
    const written = (await stack.bus.readValues(topics.plans)).map((p) => p.charterId);
    expect(written).toContain(fine.records[0]!.key);
    expect(written).not.toContain('c-huge');
  });

  it('goes out compressed when it only fits compressed (1.4 MB of state JSON)', async () => {
    const charterId = `c-big-${randomUUID()}`;
    const json = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ stepId: `step-${i}`, status: 'pending', attempts: 0, lease: null })));
    expect(json.length).toBeGreaterThan(1_048_588);
    await stack.bus.producer.sendMany([planRecord(charterId, json)]);
    const [written] = (await stack.bus.readValues(topics.plans)).filter((p) => p.charterId === charterId);
    expect(written!.stateJson).toBe(json);
  });
});
