import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealingResult } from '@maestro/contracts';
import { verifySignature } from '../../services/executor/src/domain';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { executorEntry, healingAction } from './executor-fixtures';

const prefix = uniquePrefix('exec-hook');
const secret = 'test-webhook-secret';
let bus: TestBus;
let receiver: Server;
let base = '';
const running: SpawnedService[] = [];

/** What the receiver saw: one entry per request, with its own verdict on the signature. */
interface Call { path: string; idempotencyKey: string; deliveryAttempt: string; signature: string; body: string }
const calls: Call[] = [];
const answered = new Set<string>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

/** A runbook receiver: verifies the HMAC (401 otherwise), then behaves as the path says. */
async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const key = String(req.headers['idempotency-key']);
  const check = verifySignature(secret, req.headers['maestro-signature'] as string | undefined, body, Date.now());
  calls.push({ path: req.url ?? '', idempotencyKey: key, deliveryAttempt: String(req.headers['maestro-delivery-attempt']), signature: check.ok ? 'valid' : check.reason, body });
  if (!check.ok) return void res.writeHead(401).end(check.reason);
  switch (req.url) {
    case '/flaky':
      // The first try of each key fails as a receiver under strain would; the retry is accepted.
      if (!answered.has(key)) {
        answered.add(key);
        return void res.writeHead(500).end('try again');
      }
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    case '/reject':
      return void res.writeHead(400).end('unknown runbook');
    case '/slow':
      // The first call takes long enough for the test to kill the executor while it waits; a call
      // with a key already seen is answered from the receiver's dedupe, as a real one would.
      if (answered.has(key)) return void res.writeHead(200).end('already done');
      answered.add(key);
      setTimeout(() => res.writeHead(200).end('done slowly'), 8_000);
      return;
    case '/hang':
      return; // never answers
    default:
      return void res.writeHead(404).end();
  }
}

const hook = (path: string) => ({ webhook: JSON.stringify({ url: `${base}${path}`, method: 'POST', payload: { kind: 'spike', assetId: 'x' } }) });
const resultOf = (actionId: string) => eventually(async () => (await bus.readValues(topics.healingResults)).find((r: HealingResult) => r.actionId === actionId), 60_000, `a result for ${actionId}`);
const env = () => ({
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, EXECUTOR_WEBHOOK_SECRET: secret, EXECUTOR_LEASE_MS: '2000', KAFKA_SESSION_TIMEOUT_MS: '6000',
  EXECUTOR_RUNNERS: JSON.stringify({ runners: { hook: { type: 'webhook', timeoutMs: 1_000, retries: 2, backoffMs: 200 }, patient: { type: 'webhook', timeoutMs: 20_000 } },
    strategies: { '*': 'hook', failover: 'patient' } }),
});

beforeAll(async () => {
  receiver = createServer((req, res) => void receive(req, res));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  bus = await createTestBus(prefix, [topics.healingActions, topics.healingResults, topics.audit]);
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  receiver?.closeAllConnections();
  receiver?.close();
  await bus?.close();
});

describe('executor: webhook runner', () => {
  it('retries after a 500 with the same Idempotency-Key, every try signed and verified', async () => {
    running.push(await spawnService(executorEntry, { ...env(), MAESTRO_REPLICA_ID: 'hook-a' }));
    await bus.producer.send(topics.healingActions, [{ key: 'db-1', value: healingAction('an-flaky#0', 'db-1', 'runbook', hook('/flaky')) }]);
    const result = await resultOf('an-flaky#0');
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2, runner: 'hook', output: '{"accepted":true}' });
    const mine = calls.filter((c) => c.idempotencyKey === 'an-flaky#0');
    expect(mine.map((c) => [c.path, c.deliveryAttempt, c.signature])).toEqual([['/flaky', '1', 'valid'], ['/flaky', '2', 'valid']]);
    // The body is the action, with the runbook's payload beside it.
    expect(JSON.parse(mine[0]!.body)).toMatchObject({ action: { actionId: 'an-flaky#0', assetId: 'db-1', strategy: 'runbook' }, payload: { kind: 'spike' } });
  });

  it('fails at once on a 4xx, after its retries on a timeout, and without a call when the action names no webhook', async () => {
    await bus.producer.send(topics.healingActions, [
      { key: 'db-2', value: healingAction('an-reject#0', 'db-2', 'runbook', hook('/reject')) },
      { key: 'db-3', value: healingAction('an-hang#0', 'db-3', 'runbook', hook('/hang')) },
      { key: 'db-4', value: healingAction('an-nohook#0', 'db-4', 'restart') },
    ]);
    expect(await resultOf('an-reject#0')).toMatchObject({ status: 'failed', errorCode: 'http_status', attempts: 1, output: 'unknown runbook' });
    const hang = await resultOf('an-hang#0');
    expect(hang).toMatchObject({ status: 'failed', errorCode: 'timeout', attempts: 3 });
    expect(hang.error).toMatch(/no answer within 1000 ms/);
    expect(await resultOf('an-nohook#0')).toMatchObject({ status: 'failed', errorCode: 'bad_params', attempts: 0 });
    expect(calls.filter((c) => c.idempotencyKey === 'an-hang#0')).toHaveLength(3);
    expect(calls.filter((c) => c.idempotencyKey === 'an-nohook#0')).toEqual([]);
  });

  it('after a SIGKILL mid-call, sends the action again under the same Idempotency-Key (webhooks are idempotent), one result', async () => {
    await bus.producer.send(topics.healingActions, [{ key: 'db-5', value: healingAction('an-slow#0', 'db-5', 'failover', hook('/slow')) }]);
    await eventually(() => calls.some((c) => c.idempotencyKey === 'an-slow#0'), 30_000, 'the first call');
    await running.shift()!.stop('SIGKILL');
    running.push(await spawnService(executorEntry, { ...env(), MAESTRO_REPLICA_ID: 'hook-b' }));
    const result = await resultOf('an-slow#0');
    expect(result).toMatchObject({ status: 'succeeded', runner: 'patient', output: 'already done' });
    const mine = calls.filter((c) => c.idempotencyKey === 'an-slow#0');
    expect(mine).toHaveLength(2);
    expect(mine.every((c) => c.signature === 'valid')).toBe(true);
    expect((await bus.readValues(topics.healingResults)).filter((r) => r.actionId === 'an-slow#0')).toHaveLength(1);
  });
});
