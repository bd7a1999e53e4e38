/**
 * The protocol handler's commit-then-send order against the real Redis and Kafka: the revision check,
 * the kept outbound records, and what a redelivered request does. The broker is real; the only fault
 * injected is a send that fails once, standing in for a replica that dies between its Redis commit
 * and its produce request.
 */
import { describe, expect, it } from 'vitest';
import { topics, type AuditRecord, type ProtocolRequest } from '@maestro/contracts';
import { type BusProducer, type InboundRecord, type TopicBatch } from '@maestro/bus';
import { commitState, createProtocolHandler, InfraError, ok, type Operation } from '@maestro/protocol';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { planKeys, planStateRecords } from '../../services/planner/src/plan-state';
import { executionGoalKey, executionKey, executionStateRecords } from '../../services/dispatcher/src/execution-store';
import { useBusAndRedis } from '../support/bus-and-redis';

const stack = useBusAndRedis('redeliver', [topics.protocolReplies, topics.audit, topics.plans]);
const { keys } = stack;

describe('commitState', () => {
  it('writes only at the expected revision, and reads a revision that precedes nested objects', async () => {
    const key = keys.key('test', 'state', 'c1');
    const index = keys.global('test', 'due');
    const state = (revision: number) => JSON.stringify({ kind: 'charter', revision, nested: { revision: 99 }, items: [{ revision: 98 }] });

    expect(await commitState(stack.redis, { guard: { key, expectedRevision: 0 }, writes: [{ key, json: state(1) }], index: { key: index, member: 'c1', score: 500 } })).toEqual({ ok: true });
    expect(await stack.redis.zscore(index, 'c1')).toBe('500');
    // Decided on a stale copy: refused with the revision that is there, nothing written.
    expect(await commitState(stack.redis, { guard: { key, expectedRevision: 0 }, writes: [{ key, json: state(5) }] })).toEqual({ ok: false, currentRevision: 1 });
    expect(JSON.parse((await stack.redis.get(key))!)).toMatchObject({ revision: 1 });

    const applied = { key: keys.key('test', 'applied', 'r1'), json: '[]', ttlMs: 60_000 };
    expect(await commitState(stack.redis, { guard: { key, expectedRevision: 1 }, writes: [{ key, json: state(2) }], index: { key: index, member: 'c1', score: null } }, applied)).toEqual({ ok: true });
    expect(JSON.parse((await stack.redis.get(key))!)).toMatchObject({ revision: 2 });
    expect(await stack.redis.zscore(index, 'c1')).toBeNull();
    const ttl = await stack.redis.pttl(applied.key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('treats a state without a leading revision as a conflict, never as absent', async () => {
    const key = keys.key('test', 'state', 'c2');
    await stack.redis.set(key, JSON.stringify({ nested: { revision: 3 }, revision: 4 }));
    expect(await commitState(stack.redis, { guard: { key, expectedRevision: 0 }, writes: [{ key, json: '{"revision":1}' }] })).toEqual({ ok: false, currentRevision: -1 });
  });
});

describe('a redelivered request', () => {
  /** A `plans` record per state JSON, as the planner builds them. */
  function stateBatch(jsons: readonly string[]): TopicBatch {
    return {
      spec: topics.plans,
      records: jsons.map((json) => {
        const state = JSON.parse(json) as { revision: number; charterId: string };
        return { key: state.charterId, value: { key: state.charterId, kind: 'charter', charterId: state.charterId, goalId: null, version: null, tenant: 'acme', revision: state.revision, status: 'declared', updatedAtMs: Date.now(), stateJson: json } };
      }),
    } as TopicBatch;
  }

  /** An operation that counts its runs and bumps a revisioned state, as the planner's do. */
  function countingOperation(stateKey: string): { operation: Operation; runs: () => number } {
    let runs = 0;
    const operation: Operation = async (request) => {
      runs++;
      const current = await stack.redis.get(stateKey);
      const revision = current ? (JSON.parse(current) as { revision: number }).revision : 0;
      const next = { revision: revision + 1, charterId: request.charterId, applied: request.correlationId };
      return ok({ revision: next.revision }, {
        commit: { guard: { key: stateKey, expectedRevision: revision }, writes: [{ key: stateKey, json: JSON.stringify(next) }] },
        batches: [stateBatch([JSON.stringify(next)])],
      });
    };
    return { operation, runs: () => runs };
  }

  /** The real producer, except that the first `failures` sends throw as a dying replica's would. */
  function failingFirst(failures: number): BusProducer {
    let left = failures;
    return {
      ...stack.bus.producer,
      async sendMany(batches: TopicBatch[]) {
        if (left-- > 0) throw new Error('connection lost mid-send');
        return stack.bus.producer.sendMany(batches);
      },
    };
  }

  function handlerWith(producer: BusProducer, operation: Operation) {
    let audits = 0;
    return createProtocolHandler({
      service: 'planner', producer, redis: stack.redis, logger: pino({ level: 'silent' }), now: Date.now,
      operations: { 'charter.declare': operation },
      appliedKey: (correlationId) => keys.key('planner', 'applied', correlationId), appliedTtlMs: 60_000,
      stateRecords: async (stateKeys) => [stateBatch((await stack.redis.mget([...stateKeys])).filter((j): j is string => j !== null))],
      audit: (entry) => {
        const value: AuditRecord = {
          auditId: `audit-${++audits}-${randomUUID()}`, service: 'planner', kind: entry.kind, outcome: entry.outcome, subjectId: entry.subjectId,
          reasons: [...entry.reasons], detailsJson: JSON.stringify(entry.details ?? {}), atMs: Date.now(), traceparent: null,
        };
        return { key: entry.subjectId, value };
      },
    });
  }

  const batchMeta = { topic: 'protocol.requests', partition: 0 };

  function record(charterId: string): InboundRecord<ProtocolRequest> {
    const value: ProtocolRequest = {
      correlationId: randomUUID(), replyTo: 'gw-redelivery', operation: 'charter.declare', charterId, tenant: 'acme', caller: 'agent',
      // A payload its schema accepts: the handler validates every payload before an operation sees it.
      payloadJson: JSON.stringify({ charterId, budget: { cost: 10, tokens: 1000 }, deadlineMs: 60_000, minTrust: 0.5, executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: [] }] }),
      deadlineAtMs: Date.now() + 10_000, sentAtMs: Date.now(),
    };
    return { key: charterId, value, partition: 0, offset: '0', timestampMs: Date.now(), headers: {}, trace: null };
  }

  it('is applied once: the send that failed after the commit is repeated from the kept records', async () => {
    const charterId = `c-${randomUUID()}`;
    const stateKey = keys.key('planner', 'charter', charterId);
    const { operation, runs } = countingOperation(stateKey);
    const request = record(charterId);

    await expect(handlerWith(failingFirst(1), operation)([request], batchMeta)).rejects.toBeInstanceOf(InfraError);
    expect(runs()).toBe(1);
    expect(JSON.parse((await stack.redis.get(stateKey))!)).toMatchObject({ revision: 1 });
    // Kept: the reply and audits, and the state by reference (its key), not a copy of it.
    const kept = JSON.parse((await stack.redis.get(keys.key('planner', 'applied', request.value.correlationId)))!) as { stateKeys: string[]; records: { topic: string }[] };
    expect(kept.stateKeys).toEqual([stateKey]);
    expect(kept.records.map((r) => r.topic)).toEqual(['protocol.replies', 'audit']);

    // The redelivery (another replica's handler, a working producer) sends what was kept.
    await handlerWith(stack.bus.producer, operation)([request], batchMeta);
    expect(runs()).toBe(1);
    expect(JSON.parse((await stack.redis.get(stateKey))!)).toMatchObject({ revision: 1 });

    const replies = (await stack.bus.readValues(topics.protocolReplies)).filter((r) => r.correlationId === request.value.correlationId);
    expect(replies).toHaveLength(1);
    expect(JSON.parse(replies[0]!.resultJson!)).toEqual({ revision: 1 });
    const states = (await stack.bus.readValues(topics.plans)).filter((p) => p.charterId === charterId);
    expect(states.map((s) => s.revision)).toEqual([1]);

    // A second redelivery (the offset was not committed yet) sends the same records again: the
    // same reply and the same audit id, nothing applied.
    await handlerWith(stack.bus.producer, operation)([request], batchMeta);
    expect(runs()).toBe(1);
    const again = (await stack.bus.readValues(topics.protocolReplies)).filter((r) => r.correlationId === request.value.correlationId);
    expect(again).toHaveLength(2);
    expect(again[1]).toEqual(again[0]);
    const audits = (await stack.bus.readValues(topics.audit)).filter((a) => a.subjectId === charterId);
    expect(new Set(audits.map((a) => a.auditId)).size).toBe(1);
  });

  // A gateway retries a call answered 503/504 with the first attempt's correlation id; the retry
  // can share a batch with the first attempt (both queued behind a paused planner) and reach
  // another gateway replica than the one the first attempt was addressed to.
  it('is applied once when a retry with the same correlation id shares its batch, and the kept reply goes to the replica each retry names', async () => {
    const charterId = `c-${randomUUID()}`;
    const stateKey = keys.key('planner', 'charter', charterId);
    const { operation, runs } = countingOperation(stateKey);
    const first = record(charterId);
    const retry = { ...first, offset: '1', value: { ...first.value, replyTo: 'gw-other', deadlineAtMs: Date.now() + 20_000 } };
    await handlerWith(stack.bus.producer, operation)([first, retry], batchMeta);
    expect(runs()).toBe(1);
    expect(JSON.parse((await stack.redis.get(stateKey))!)).toMatchObject({ revision: 1 });

    // A later retry, in a batch of its own, through a third replica.
    await handlerWith(stack.bus.producer, operation)([{ ...first, offset: '2', value: { ...first.value, replyTo: 'gw-third' } }], batchMeta);
    expect(runs()).toBe(1);
    const replies = (await stack.bus.readValues(topics.protocolReplies)).filter((r) => r.correlationId === first.value.correlationId);
    expect(replies.map((r) => r.replyTo).sort()).toEqual(['gw-other', 'gw-redelivery', 'gw-third']);
    expect(new Set(replies.map((r) => r.resultJson))).toEqual(new Set([JSON.stringify({ revision: 1 })]));
  });

  it('decides again when another writer moved the state between its read and its commit', async () => {
    const charterId = `c-${randomUUID()}`;
    const stateKey = keys.key('planner', 'charter', charterId);
    const counting = countingOperation(stateKey);
    let interfered = false;
    // The first decision is overtaken by a write at the same revision (a sweep on another replica).
    const operation: Operation = async (request, payload) => {
      const decision = await counting.operation(request, payload);
      if (!interfered) {
        interfered = true;
        await stack.redis.set(stateKey, JSON.stringify({ revision: 1, charterId, applied: 'someone else' }));
      }
      return decision;
    };
    const request = record(charterId);
    await handlerWith(stack.bus.producer, operation)([request], batchMeta);
    expect(counting.runs()).toBe(2);
    expect(JSON.parse((await stack.redis.get(stateKey))!)).toMatchObject({ revision: 2, applied: request.value.correlationId });
  });
});

describe('the state a redelivered request sends again', () => {
  it('is rebuilt from the working copy: the planner\'s charter and versions, the dispatcher\'s executions', async () => {
    const k = planKeys(keys);
    const charter = { kind: 'charter', revision: 3, charterId: 'c-state', tenant: 'acme', goals: [{ goalId: 'g', committedVersion: 2 }] };
    const version = (n: number) => ({ kind: 'goal_version', revision: 1, charterId: 'c-state', tenant: 'acme', goalId: 'g', version: n, atMs: 1 });
    // Keys and record keys are scoped by tenant: `<tenant>/<charterId>`.
    await stack.redis.mset(k.charter('acme/c-state'), JSON.stringify(charter), k.version('acme/c-state', 'g', 1), JSON.stringify(version(1)), k.version('acme/c-state', 'g', 2), JSON.stringify(version(2)));
    const [plans] = await planStateRecords(stack.redis, [k.version('acme/c-state', 'g', 1), k.version('acme/c-state', 'g', 2), k.charter('acme/c-state'), k.charter('acme/c-absent')]);
    expect(plans!.spec).toBe(topics.plans);
    expect(plans!.records.map((r) => [r.key, (r.value as { status: string }).status, (r.value as { revision: number }).revision])).toEqual([
      ['acme/c-state/g/v1', 'refined', 1], ['acme/c-state/g/v2', 'committed', 1], ['acme/c-state', 'declared', 3],
    ]);

    // The dispatcher's charter record and one record per goal execution (keyed `<scope>/<goalId>`).
    const head = { kind: 'charter_executions', revision: 9, charterId: 'c-state', tenant: 'acme', updatedAtMs: 5, charter: {}, executors: [], goals: [{ goalId: 'g', version: 2, status: 'running' }] };
    const goal = { kind: 'goal_execution', revision: 8, charterId: 'c-state', tenant: 'acme', goalId: 'g', version: 2, replans: 0, state: { status: 'running' } };
    await stack.redis.mset(executionKey(keys, 'acme/c-state'), JSON.stringify(head), executionGoalKey(keys, 'acme/c-state', 'g'), JSON.stringify(goal));
    const [records] = await executionStateRecords(stack.redis, [executionGoalKey(keys, 'acme/c-state', 'g'), executionKey(keys, 'acme/c-state')]);
    expect(records!.spec).toBe(topics.executions);
    expect(records!.records).toMatchObject([
      { key: 'acme/c-state/g', value: { revision: 8, goalId: 'g', running: 1, completed: 0, updatedAtMs: 5, stateJson: JSON.stringify(goal) } },
      { key: 'acme/c-state', value: { revision: 9, goalId: null, running: 1, completed: 0, stateJson: JSON.stringify(head) } },
    ]);
    expect(await planStateRecords(stack.redis, [])).toEqual([]);
  });
});
