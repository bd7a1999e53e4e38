/**
 * One unreadable record on a compacted state topic, met when a service rebuilds its working copy
 * (a restart after Redis lost it): before, the decode error failed the replay, so the dispatcher
 * could not start and served no tenant, restarting with backoff for as long as the record stood.
 * Now the record is dead-lettered with its reason, its charter is held (its calls refused
 * `state_unreadable`, nothing applied, rather than acted on from an older record of the same key;
 * the planner will not re-plan its goals from no progress, nor report their statuses, meanwhile),
 * every other charter is served, and a recheck that reads the key again lifts the hold by itself. Real planner
 * and dispatcher processes, Kafka, registry and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProtocolReply } from '@maestro/contracts';
import { eventually, uniquePrefix } from '../support/environment';
import { startProtocolServices, type ProtocolServices } from '../support/protocol-services';
import { spawnService } from '../support/services';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('unreadable-state');
// Held charters are looked at again every second here (a minute by default).
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, PLANNER_HELD_RECHECK_MS: '1000', DISPATCHER_HELD_RECHECK_MS: '1000' };
let services: ProtocolServices;

interface Reply { status: ProtocolReply['status']; result: Record<string, unknown> | null; code: string | null; reasons: string[]; details: Record<string, unknown> | null }

async function call(operation: string, charterId: string, payload: Record<string, unknown>): Promise<Reply> {
  const now = Date.now();
  const raw = await services.gateway.request(charterId, {
    operation, charterId, tenant: 'acme', caller: 'agent-acme', payloadJson: JSON.stringify({ charterId, ...payload }), deadlineAtMs: now + 60_000, sentAtMs: now,
  }, { timeoutMs: 60_000 });
  return {
    status: raw.status, result: raw.resultJson ? (JSON.parse(raw.resultJson) as Record<string, unknown>) : null, code: raw.refusalCode, reasons: raw.reasons,
    details: raw.detailsJson ? (JSON.parse(raw.detailsJson) as Record<string, unknown>) : null,
  };
}

const executor = (id: string) => ({ id, speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] });
const charter = { budget: { cost: 1e9, tokens: 1e9 }, deadlineMs: 31_536_000_000, executors: [executor('w1'), executor('w2')], minTrust: 0.5 };
const steps = ['a', 'b', 'c'].map((id) => ({ id, name: `step ${id}`, durationMs: 1_000, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 } }));

/** Declares the charter, plans and commits its goal, and hands the first step to w1; returns that step. */
async function startCharter(charterId: string): Promise<string> {
  expect(await call('charter.declare', charterId, charter)).toMatchObject({ status: 'ok' });
  expect(await call('plan', charterId, { goalId: 'g-1', steps, dependencies: [] })).toMatchObject({ status: 'ok' });
  const first = await call('dispatch.next', charterId, { executorId: 'w1' });
  expect(first).toMatchObject({ status: 'ok', result: { workOrders: [expect.objectContaining({ stepId: expect.any(String) })] } });
  return (first.result!.workOrders as { stepId: string }[])[0]!.stepId;
}

/** The service's `maestro_state_held_charters` as its /metrics shows it. */
async function heldGauge(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('maestro_state_held_charters '));
  return Number(line?.split(' ')[1]);
}

/** Deletes every key of the dispatcher's working copy, the replay marker with it, as a Redis restart would. */
async function loseDispatcherCopy(): Promise<void> {
  const keys = await services.redis.keys(`${prefix}dispatcher:*`);
  if (keys.length > 0) await services.redis.del(...keys);
}

beforeAll(async () => {
  services = await startProtocolServices(prefix, env, 'unreadable-state');
});

afterAll(async () => {
  // The processes started again here are not the ones the helper's stop knows.
  await Promise.all([services?.planner.stop(), services?.dispatcher.stop()]);
  await services?.stop();
});

describe('an unreadable record on the executions topic', () => {
  it('holds its charter alone: the dispatcher starts, dead-letters it, serves the others, and lifts the hold once the key reads again', async () => {
    const { bus, redis } = services;
    const leasedBeforeHold = await startCharter('ch-held');
    await startCharter('ch-fine');

    const executionsTopic = `${prefix}executions`;
    const goalKey = 'acme/ch-held/g-1';
    const lastGood = await eventually(async () => (await bus.readAll(executionsTopic)).filter((r) => r.key === goalKey).at(-1), 30_000, `a record of ${goalKey}`);

    // The dispatcher stops, the newest record of one goal becomes bytes no codec reads, and Redis loses the copy.
    expect((await services.dispatcher.stop()).code).toBe(0);
    await bus.producer.sendRaw(executionsTopic, [{ key: goalKey, value: Buffer.from('{"not":"avro"}') }]);
    await loseDispatcherCopy();
    services.dispatcher = await spawnService('dispatcher', env);

    const held = await call('dispatch.next', 'ch-held', { executorId: 'w2' });
    expect(held).toMatchObject({ status: 'refused', code: 'state_unreadable' });
    expect(held.reasons[0]).toContain(`record '${goalKey}'`);
    expect(held.reasons[0]).toContain(`${executionsTopic}.dlq`);
    expect(held.details!.records).toEqual([expect.objectContaining({ topic: executionsTopic, key: goalKey, code: 'NOT_WIRE_FORMAT' })]);
    // The planner will not re-plan the goal from no progress while the dispatcher holds it.
    const replan = await call('graph.replan', 'ch-held', { goalId: 'g-1', expectedVersion: 1, reason: 'step a is slow' });
    expect(replan).toMatchObject({ status: 'refused', code: 'state_unreadable', details: { service: 'dispatcher' } });
    expect(replan.reasons[0]).toContain('the dispatcher holds charter \'ch-held\'');
    // Nor will it report the goal as only committed: without the dispatcher's record it cannot tell.
    const query = await call('query.goals', 'ch-held', {});
    expect(query).toMatchObject({ status: 'refused', code: 'state_unreadable', details: { service: 'dispatcher' } });
    expect(query.reasons[0]).toContain('statuses cannot be told');
    expect(await call('query.goals', 'ch-fine', {})).toMatchObject({ status: 'ok', result: { goals: [expect.objectContaining({ goalId: 'g-1', status: 'running' })] } });
    // The goal's older record was not restored in its place.
    expect(await redis.keys(`${prefix}dispatcher:execution:{acme/ch-held:g-1}`)).toEqual([]);
    expect(await redis.keys(`${prefix}dispatcher:execution:{acme/ch-fine:g-1}`)).toHaveLength(1);

    expect(await heldGauge(services.dispatcher.url)).toBe(1);

    // Every other charter is served as before: the second step of ch-fine goes out.
    const fine = await call('dispatch.next', 'ch-fine', { executorId: 'w2' });
    expect(fine).toMatchObject({ status: 'ok', result: { workOrders: [expect.objectContaining({ stepId: expect.any(String) })] } });

    const letters = await eventually(async () => {
      const raw = await bus.readAll(`${executionsTopic}.dlq`);
      return raw.length > 0 && raw.map((l) => decodeDeadLetter(l.value));
    }, 30_000, 'the unreadable record on executions.dlq');
    // Rechecked while held, the record is not dead-lettered again.
    const rechecks = () => services.dispatcher.output.filter((line) => line.includes('charters still held after a recheck')).length;
    await eventually(() => rechecks() >= 2, 30_000, 'two rechecks of the held charter');
    expect(await bus.readAll(`${executionsTopic}.dlq`)).toHaveLength(1);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ sourceTopic: executionsTopic, errorCode: 'NOT_WIRE_FORMAT' });
    expect(letters[0]!.key!.toString()).toBe(goalKey);
    expect(letters[0]!.value!.toString()).toBe('{"not":"avro"}');

    const audits = await eventually(async () => {
      const found = (await bus.readValues(topics.audit)).filter((a) => a.kind === 'protocol.dispatch.next' && a.subjectId === 'ch-held' && a.outcome === 'refused');
      return found.length > 0 && found;
    }, 30_000, 'the refusal\'s audit record');
    expect(JSON.parse(audits[0]!.detailsJson)).toMatchObject({ code: 'state_unreadable' });
    const queryAudits = await eventually(async () => {
      const found = (await bus.readValues(topics.audit)).filter((a) => a.kind === 'protocol.query.goals' && a.subjectId === 'ch-held' && a.outcome === 'refused');
      return found.length > 0 && found;
    }, 30_000, 'the query\'s refusal audit record');
    expect(JSON.parse(queryAudits[0]!.detailsJson)).toMatchObject({ code: 'state_unreadable', details: { service: 'dispatcher' } });
    expect(queryAudits[0]!.reasons[0]).toContain('the dispatcher holds charter \'ch-held\'');

    // The key reads again (its last good record written anew, as an operator restoring it would): the
    // next recheck restores it and lifts the hold, with nothing else done, and the goal goes on where it stood.
    await bus.producer.sendRaw(executionsTopic, [{ key: goalKey, value: lastGood.value }]);
    await eventually(() => services.dispatcher.output.some((line) => line.includes('their holds are lifted')), 30_000, 'the hold lifted by a recheck');
    expect(await redis.keys(`${prefix}dispatcher:execution:{acme/ch-held:g-1}`)).toHaveLength(1);
    const lifted = await call('dispatch.next', 'ch-held', { executorId: 'w2' });
    expect(lifted).toMatchObject({ status: 'ok', result: { workOrders: [expect.objectContaining({ stepId: expect.any(String) })] } });
    // The step leased before the hold is still w1's: the goal goes on with another.
    expect((lifted.result!.workOrders as { stepId: string }[])[0]!.stepId).not.toBe(leasedBeforeHold);
    expect(await redis.keys(`${prefix}dispatcher:held:*`)).toEqual([]);
    expect(await heldGauge(services.dispatcher.url)).toBe(0);
    expect(await call('query.goals', 'ch-held', {})).toMatchObject({ status: 'ok', result: { goals: [expect.objectContaining({ goalId: 'g-1', status: 'running' })] } });
  });
});

describe('an unreadable record on the plans topic', () => {
  it('holds its charter in the planner, which starts and serves the others', async () => {
    const { bus } = services;
    expect(await call('charter.declare', 'ch-plan-held', charter)).toMatchObject({ status: 'ok' });
    expect(await call('charter.declare', 'ch-plan-fine', charter)).toMatchObject({ status: 'ok' });

    expect((await services.planner.stop()).code).toBe(0);
    await bus.producer.sendRaw(`${prefix}plans`, [{ key: 'acme/ch-plan-held', value: Buffer.from([0, 0, 0, 0, 1, 2, 3]) }]);
    const keys = await services.redis.keys(`${prefix}planner:*`);
    if (keys.length > 0) await services.redis.del(...keys);
    services.planner = await spawnService('planner', env);

    const held = await call('query.goals', 'ch-plan-held', {});
    expect(held).toMatchObject({ status: 'refused', code: 'state_unreadable' });
    expect(held.reasons[0]).toContain(`${prefix}plans.dlq`);
    expect(await call('query.goals', 'ch-plan-fine', {})).toMatchObject({ status: 'ok' });
  });
});
