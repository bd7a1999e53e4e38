/**
 * The demo's simulator against the real services, in a short scenario: a few demo assets report
 * through the gateway, a latency spike is injected, the detector raises it, the healer (live)
 * decides, the executor's webhook runner posts the action to the demo's remediation endpoint (HMAC
 * verified), the asset's telemetry recovers, and the healer records the recovery as verified.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord } from '@maestro/contracts';
import { signatureHeader } from '../../services/executor/src/domain/signature';
import { createFleet, demoAssets, type Fleet } from '../../scripts/demo/fleet';
import { backfill, postTelemetry, type GatewayTarget } from '../../scripts/demo/gateway-traffic';
import { startRemediationReceiver, type RemediationReceiver } from '../../scripts/demo/remediation-receiver';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { writeTelemetryTokens } from '../support/telemetry-tokens';
import { createTestBus, type TestBus } from '../support/test-bus';

const prefix = uniquePrefix('demo');
const secret = randomBytes(32).toString('hex');
const WARMUP = 30;
const sick = 'checkout-eu-west-1-aws';
// Three assets of the demo's fleet: the one that falls ill and two that stay well.
const fleet: Fleet = createFleet(demoAssets().filter((a) => a.region === 'eu-west-1' && a.service === 'checkout'));
const tokens = writeTelemetryTokens({ demo: { tenant: 'demo' } });
const running: SpawnedService[] = [];
let receiver: RemediationReceiver;
let bus: TestBus;
let target: GatewayTarget;
let ticker: NodeJS.Timeout | undefined;

const audits = async (kind: string): Promise<AuditRecord[]> => (await bus.readValues(topics.audit)).filter((a) => a.subjectId === sick && a.kind === kind);

beforeAll(async () => {
  receiver = await startRemediationReceiver({ fleet, secret });
  bus = await createTestBus(prefix, [topics.telemetrySamples, topics.healingActions, topics.healingResults, topics.audit]);
  const env = {
    MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TELEMETRY_TOKENS: tokens.path,
    DETECTOR_WARMUP_SAMPLES: String(WARMUP), DETECTOR_REFRACTORY_SAMPLES: '5', HEALER_MODE: 'live',
    EXECUTOR_WEBHOOK_SECRET: secret,
    EXECUTOR_RUNNERS: JSON.stringify({ runners: { 'demo-fleet': { type: 'webhook', url: receiver.url, timeoutMs: 5_000, retries: 1, backoffMs: 100 } }, strategies: { '*': 'demo-fleet' } }),
  };
  // Five services starting at once on a shared two-core machine can take a while: allow it here.
  running.push(...await Promise.all((['gateway', 'ingest', 'detector', 'healer', 'executor'] as const).map((name) => spawnService(name, env, { timeoutMs: 150_000 }))));
  target = { url: running[0]!.url, token: tokens.headers.demo!.authorization!.slice('Bearer '.length) };
  await postTelemetry(target, backfill(fleet, Date.now(), WARMUP + 5, 500));
  // From here on the fleet reports twice a second, as the demo does once a second.
  ticker = setInterval(() => void postTelemetry(target, fleet.signals(Date.now())).catch(() => {}), 500);
}, 240_000);

afterAll(async () => {
  clearInterval(ticker);
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await receiver?.close();
  await bus?.close();
  rmSync(dirname(tokens.path), { recursive: true, force: true });
});

describe('the demo fleet under the real services', () => {
  it('refuses a request whose signature does not verify, and acts on nothing', async () => {
    const body = JSON.stringify({ action: { actionId: 'forged', assetId: sick, strategy: 'failover', params: {} } });
    const forged = await fetch(receiver.url, { method: 'POST', body, headers: { 'idempotency-key': 'forged', 'maestro-signature': signatureHeader('not the secret', body, Date.now()) } });
    expect(forged.status).toBe(401);
    expect(receiver.received).toHaveLength(0);
  });

  it('an injected latency spike is detected, remediated through the webhook, recovers, and the healer verifies it', async () => {
    // Ingest has passed the history on before the incident starts, so the detector has its baselines.
    await eventually(async () => (await bus.readValues(topics.telemetrySamples)).filter((s) => s.assetId === sick).length >= WARMUP + 5, 30_000, 'the backfill through ingest');
    fleet.inject('latency_spike', [sick], Date.now());

    const action = await eventually(async () => (await bus.readValues(topics.healingActions)).find((a) => a.assetId === sick), 30_000, 'a healing action for the sick asset');
    expect(action.dryRun).toBe(false);
    const received = await eventually(() => receiver.received.find((r) => r.actionId === action.actionId), 20_000, 'the webhook at the remediation endpoint');
    expect(received).toMatchObject({ assetId: sick, strategy: action.strategy, outcome: { ok: true, cleared: 'latency_spike' } });
    const result = await eventually(async () => (await bus.readValues(topics.healingResults)).find((r) => r.actionId === action.actionId), 20_000, 'the executor\'s result');
    expect(result).toMatchObject({ status: 'succeeded', runner: 'demo-fleet' });

    // The asset's own telemetry comes back to its baseline once the remediation has taken effect.
    const healthy = fleet.assets.find((a) => a.id === sick)!.latencyMs;
    const back = await eventually(async () => {
      const latest = (await bus.readValues(topics.telemetrySamples)).filter((s) => s.assetId === sick).at(-1);
      return latest && latest.timestampMs > result.finishedAtMs && (latest.metrics.latency_ms ?? Infinity) < healthy * 1.2 && latest;
    }, 20_000, 'the sick asset\'s latency back to normal');
    expect(back.metrics.latency_ms).toBeLessThan(healthy * 1.2);

    const verified = await eventually(async () => (await audits('healing.recovery')).find((a) => a.outcome === 'recovered'), 30_000, 'the healer\'s verified recovery');
    expect(verified.reasons.join(' ')).toContain(action.actionId);
    // One remediation for one incident: the endpoint acted once.
    expect(receiver.received.filter((r) => r.assetId === sick)).toHaveLength(1);
  }, 60_000);
});
