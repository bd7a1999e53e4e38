/**
 * A retry after any 5xx is safe (issue 14, F2). A call the gateway answered 503 or 504 may still
 * have been applied; retried with the same Idempotency-Key it is sent again with the first
 * attempt's correlation id, so the planner answers it with the reply it kept if it did apply it, or
 * applies it once if it never did. Two ways to lose the answer: the planner paused (SIGSTOP) past
 * the call timeout, and the planner SIGKILLed under load and restarted.
 * Real Kafka, registry and Redis; the gateway and planner run as processes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { callSigned, newCaller, writeTrustStore, type Called } from '../support/signed-client';

const prefix = uniquePrefix('safe-retry');
const dir = mkdtempSync(join(tmpdir(), 'maestro-safe-retry-'));
const agent = newCaller('agent-acme', 'acme');
const CALL_TIMEOUT_MS = 3_000;
// A short session timeout so that a killed planner's partitions go to its successor within seconds.
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, KAFKA_SESSION_TIMEOUT_MS: '6000',
  GATEWAY_TRUST_STORE: join(dir, 'trust.json'), GATEWAY_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
};
let gateway: SpawnedService;
let planner: SpawnedService;

const executors = [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }];
const step = (id: string) => ({ id, name: `step ${id}`, durationMs: 1_000, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 } });
// No expectedVersion: applied twice, the same refine would make version 2 (what F2 did).
const refine = (charterId: string, goalId: string) => ({ charterId, goalId, steps: [step('a'), step('b')], dependencies: [{ from: 'a', to: 'b' }] });

interface GoalRow { goalId: string; latestVersion: number }

/** Calls until the answer is not a 5xx, with the same Idempotency-Key every time; returns the answers in order. */
async function untilAnswered(operation: string, payload: Record<string, unknown>, idempotencyKey: string, budgetMs = 120_000): Promise<Called[]> {
  const answers: Called[] = [];
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const answer = await callSigned(gateway.url, agent, operation, payload, { idempotencyKey });
    answers.push(answer);
    if (answer.status < 500 && answer.body.refused?.code !== 'idempotency_in_progress') return answers;
    if (Date.now() > deadline) throw new Error(`${operation} ${idempotencyKey} still ${answer.status} after ${answers.length} attempts: ${JSON.stringify(answer.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function goals(charterId: string): Promise<GoalRow[]> {
  const r = await callSigned(gateway.url, agent, 'query.goals', { charterId });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.result as { goals: GoalRow[] }).goals;
}

async function declare(charterId: string): Promise<void> {
  const [answer] = (await untilAnswered('charter.declare', { charterId, budget: { cost: 100_000, tokens: 1_000_000 }, deadlineMs: 3_600_000, executors, minTrust: 0.5 }, `declare-${randomUUID()}`)).slice(-1);
  expect(answer!.status, JSON.stringify(answer!.body)).toBe(200);
}

beforeAll(async () => {
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  [planner, gateway] = await Promise.all([spawnService('planner', env), spawnService('gateway', env)]);
  await eventually(async () => (await fetch(`${gateway.url}/readyz`)).ok, 60_000, 'the gateway to be ready');
});

afterAll(async () => {
  if (planner?.proc.signalCode === null && planner.proc.exitCode === null) planner.proc.kill('SIGCONT');
  await Promise.all([gateway?.stop('SIGTERM'), planner?.stop('SIGTERM')]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a retry after a 5xx', () => {
  it('with the planner paused past the call timeout: 504, then the retry gives one outcome and the goal exists at version 1 only', async () => {
    await declare('ch-paused');
    const key = `refine-${randomUUID()}`;
    const payload = refine('ch-paused', 'g-paused');
    planner.proc.kill('SIGSTOP');
    let first: Called;
    try {
      first = await callSigned(gateway.url, agent, 'goal.refine', payload, { idempotencyKey: key });
    } finally {
      planner.proc.kill('SIGCONT');
    }
    expect(first.status, JSON.stringify(first.body)).toBe(504);
    expect(first.body.refused).toMatchObject({ code: 'deadline_exceeded' });
    expect(first.headers.get('retry-after')).toBe('1');

    const answers = await untilAnswered('goal.refine', payload, key);
    const last = answers.at(-1)!;
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(last.body.result).toMatchObject({ goalId: 'g-paused', version: 1 });
    expect((await goals('ch-paused')).map((g) => `${g.goalId}@${g.latestVersion}`)).toEqual(['g-paused@1']);
    // And from now on the key answers with the stored response.
    const replayed = await callSigned(gateway.url, agent, 'goal.refine', payload, { idempotencyKey: key });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(last.body);
  }, 180_000);

  it('with the planner killed under load and restarted: every call answered once, every retried call applied once', async () => {
    const charters = ['ch-load-0', 'ch-load-1', 'ch-load-2', 'ch-load-3'];
    for (const charterId of charters) await declare(charterId);
    const calls = Array.from({ length: 32 }, (_, i) => ({ charterId: charters[i % charters.length]!, goalId: `g-${i}`, key: `load-${i}-${randomUUID()}` }));

    let acknowledged = 0;
    let killNow: () => void = () => undefined;
    const enoughAcknowledged = new Promise<void>((resolve) => { killNow = resolve; });
    const run = Promise.all(calls.map(async (c, i) => {
      await new Promise((r) => setTimeout(r, i * 40)); // a steady stream rather than one burst
      const answers = await untilAnswered('goal.refine', refine(c.charterId, c.goalId), c.key, 150_000);
      if (++acknowledged === 6) killNow();
      return answers;
    }));
    await enoughAcknowledged;
    expect((await planner.stop('SIGKILL')).signal).toBe('SIGKILL');
    planner = await spawnService('planner', env);
    const outcomes = await run;

    const retried = outcomes.filter((answers) => answers.length > 1);
    const fivexx = outcomes.flat().filter((a) => a.status >= 500);
    for (const [i, answers] of outcomes.entries()) {
      const last = answers.at(-1)!;
      expect(last.status, `${calls[i]!.goalId}: ${JSON.stringify(last.body)}`).toBe(200);
      expect(last.body.result, calls[i]!.goalId).toMatchObject({ goalId: calls[i]!.goalId, version: 1 });
    }
    // The kill must have cost some calls their answer, or this test proves nothing.
    expect(fivexx.length).toBeGreaterThan(0);
    expect(retried.length).toBeGreaterThan(0);
    // Every call present exactly once, at version 1: none applied twice, none lost.
    const present: string[] = [];
    for (const charterId of charters) present.push(...(await goals(charterId)).map((g) => `${charterId}/${g.goalId}@${g.latestVersion}`));
    expect(present.sort()).toEqual(calls.map((c) => `${c.charterId}/${c.goalId}@1`).sort());
  }, 300_000);
});
