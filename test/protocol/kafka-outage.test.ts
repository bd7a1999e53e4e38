/**
 * The gateway while Kafka cannot be reached: the local broker is frozen (SIGSTOP, so connections
 * stay open and nothing answers, as with a partitioned or hung broker) and thawed again. Protocol
 * calls and telemetry batches get 503 `unavailable` with Retry-After — never a hang, never a 500 —
 * and calls succeed again once the broker is back. Needs a broker on this machine (the pid file of
 * infra/local/stack.sh, or the process listening on the broker's port); the test says so otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { writeTelemetryTokens } from '../support/telemetry-tokens';
import { callSigned, newCaller, post, writeTrustStore } from '../support/signed-client';

const prefix = uniquePrefix('outage');
const dir = mkdtempSync(join(tmpdir(), 'maestro-outage-'));
const agent = newCaller('agent-acme', 'acme');
const tokens = writeTelemetryTokens({ agent: { tenant: 'acme' } });
const stackDir = process.env.MAESTRO_STACK_DIR ?? resolve(import.meta.dirname, '../../.stack');
const kafkaPidFile = join(stackDir, 'kafka', 'kafka.pid');
let gateway: SpawnedService;
let planner: SpawnedService;
let frozenPid: number | null = null;

/** The local broker's process: from the pid file of the stack this checkout started, else whoever listens on its port. */
function kafkaPid(): number {
  if (existsSync(kafkaPidFile)) return Number(readFileSync(kafkaPidFile, 'utf8').trim());
  const [host, port] = stackEnv.KAFKA_BROKERS.split(',')[0]!.split(':');
  const listening = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(listening.stdout ?? '')?.[1];
  if (!pid) throw new Error(`this test freezes the local broker; no pid file at ${kafkaPidFile} and no local process listening on ${host}:${port} (ss: ${listening.error?.message ?? (listening.stderr || 'no match')})`);
  return Number(pid);
}

function thaw(): void {
  if (frozenPid !== null) process.kill(frozenPid, 'SIGCONT');
  frozenPid = null;
}

const charter = { tenant: 'acme', budget: { cost: 100, tokens: 1_000 }, deadlineMs: 600_000, executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }], minTrust: 0.5 };
const signal = () => ({ assetId: 'asset-outage', timestampMs: Date.now(), metrics: { latency_ms: 12 } });

beforeAll(async () => {
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json'), GATEWAY_CALL_TIMEOUT_MS: '3000', GATEWAY_TELEMETRY_TOKENS: tokens.path };
  [gateway, planner] = await Promise.all([spawnService('gateway', env), spawnService('planner', env)]);
}, 120_000);

afterAll(async () => {
  thaw();
  await Promise.all([gateway?.stop(), planner?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway while Kafka is unreachable', () => {
  it('answers 503 with Retry-After for protocol calls and telemetry, and serves again once the broker is back', async () => {
    const before = await callSigned(gateway.url, agent, 'charter.declare', { charterId: 'ch-outage', ...charter });
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    const accepted = await post(gateway.url, '/v1/telemetry', JSON.stringify({ signals: [signal()] }), { 'content-type': 'application/json', ...tokens.headers.agent });
    expect(accepted.status).toBe(202);

    frozenPid = kafkaPid();
    process.kill(frozenPid, 'SIGSTOP');
    try {
      const startedAt = Date.now();
      const during = await callSigned(gateway.url, agent, 'charter.declare', { charterId: 'ch-outage', ...charter });
      expect(during.status, JSON.stringify(during.body)).toBe(503);
      expect(during.body).toMatchObject({ refused: { stage: 'dispatch', code: 'unavailable' } });
      expect(during.headers.get('retry-after')).toBe('1');
      // Bounded by the send timeout (80 % of the 3 s call timeout), not by the broker's return.
      expect(Date.now() - startedAt).toBeLessThan(6_000);

      const telemetry = await post(gateway.url, '/v1/telemetry', JSON.stringify({ signals: [signal()] }), { 'content-type': 'application/json', ...tokens.headers.agent });
      expect(telemetry.status, JSON.stringify(telemetry.body)).toBe(503);
      expect(telemetry.body).toMatchObject({ refused: { code: 'unavailable' } });
      expect(telemetry.headers.get('retry-after')).toBe('1');

      // Bad input is still the caller's mistake, answered without the broker.
      const malformed = await post(gateway.url, '/v1/protocol/maestro.charter.declare', '{not json', { 'content-type': 'application/json' });
      expect(malformed.status).toBe(400);
    } finally {
      thaw();
    }

    const after = await eventually(async () => {
      const r = await callSigned(gateway.url, agent, 'charter.declare', { charterId: 'ch-outage', ...charter });
      return r.status === 200 ? r : undefined;
    }, 60_000, 'a successful call after the broker came back');
    expect(after.body.result).toMatchObject({ charterId: 'ch-outage', redeclared: true });
  }, 120_000);
});
