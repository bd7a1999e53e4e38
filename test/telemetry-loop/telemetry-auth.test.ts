/**
 * Authenticated, tenant-bound telemetry against the real stack (issue 14, item 10): gateway, ingest,
 * detector and healer as their own processes. A signal needs a token (401 without); an asset
 * belongs to the first tenant that reports it (the claim is one Redis script, so two tenants racing
 * for a new asset cannot both win); another tenant's signal for it is 403 and audited, and so never
 * reaches the detector or the healer, while the owner's own spike becomes an anomaly and a healing
 * action carrying the owner's tenant. Discovery's word on an owner beats a claim.
 */
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AuditRecord } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { post } from '../support/signed-client';
import { seededNoise } from '../support/fleet';
import { writeTelemetryTokens } from '../support/telemetry-tokens';

const prefix = uniquePrefix('tel-auth');
const tokens = writeTelemetryTokens({ acme: { tenant: 'acme' }, globex: { tenant: 'globex' }, 'acme-web': { tenant: 'acme', assets: ['web-*'] } });
const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TELEMETRY_TOKENS: tokens.path,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5', HEALER_MODE: 'live',
  DISCOVERY_STATIC_FILE: join(mkdtempSync(join(tmpdir(), 'tel-auth-')), 'assets.json'), DISCOVERY_POLL_INTERVAL_MS: '300',
};

/** The inventory discovery polls, written whole and renamed into place. */
function writeInventory(entries: { assetId: string; tenant: string }[]): void {
  writeFileSync(`${env.DISCOVERY_STATIC_FILE}.next`, JSON.stringify(entries));
  renameSync(`${env.DISCOVERY_STATIC_FILE}.next`, env.DISCOVERY_STATIC_FILE);
}
const noise = seededNoise(11);
let bus: TestBus;
let gateway: SpawnedService;
const running: SpawnedService[] = [];

const latency = (assetId: string, timestampMs: number, latencyMs: number) => ({ assetId, timestampMs, metrics: { latency_ms: latencyMs } });
const report = (token: string, signals: unknown[]) => post(gateway.url, '/v1/telemetry', JSON.stringify({ signals }), tokens.headers[token]);

async function refusals(outcome: string): Promise<AuditRecord[]> {
  return (await bus.readValues(topics.audit)).filter((a) => a.kind === 'telemetry.refused' && a.outcome === outcome);
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples, topics.anomalies, topics.healingActions, topics.audit, topics.assets]);
  writeInventory([{ assetId: 'globex-db', tenant: 'globex' }]);
  gateway = await spawnService('gateway', env);
  running.push(gateway, ...(await Promise.all((['ingest', 'detector', 'healer', 'discovery'] as const).map((name) => spawnService(name, env)))));
  // acme's own service learns a baseline through the gateway: 60 samples, 200 ms apart, ending now.
  const start = Date.now() - 60 * 200;
  const warm = Array.from({ length: 60 }, (_, i) => latency('acme-api', start + i * 200, 50 + noise() * 4));
  expect((await report('acme', warm)).status).toBe(202);
  await eventually(async () => (await bus.readValues(topics.telemetrySamples)).filter((s) => s.assetId === 'acme-api').length >= 60, 60_000, 'the warm-up to pass ingest');
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
});

describe('POST /v1/telemetry is authenticated and tenant-bound', () => {
  it('refuses a call without a credential, or with a forged one, with 401, audited', async () => {
    expect(await post(gateway.url, '/v1/telemetry', JSON.stringify([latency('acme-api', Date.now(), 5_000)]))).toMatchObject({ status: 401, body: { refused: { code: 'missing_credential' } } });
    const forged = await post(gateway.url, '/v1/telemetry', JSON.stringify([latency('acme-api', Date.now(), 5_000)]), { authorization: `${tokens.headers.acme!.authorization!.slice(0, -4)}AAAA` });
    expect(forged).toMatchObject({ status: 401, body: { refused: { code: 'invalid_credential' } } });
    await eventually(async () => (await refusals('invalid_credential')).length > 0 && (await refusals('missing_credential')).length > 0, 30_000, 'both refusals audited');
  });

  it('refuses another tenant\'s spike with 403, audited with the owner; it never reaches the healer while the owner\'s does', async () => {
    const forgedAtMs = Date.now();
    const refused = await report('globex', [latency('acme-api', forgedAtMs, 5_000)]);
    expect(refused).toMatchObject({ status: 403, body: { refused: { code: 'asset_owned_by_another_tenant' } } });
    expect(JSON.stringify(refused.body)).not.toContain('acme"');
    const [audit] = await eventually(async () => {
      const found = await refusals('asset_owned_by_another_tenant');
      return found.length > 0 && found;
    }, 30_000, 'the refusal audited');
    expect(audit).toMatchObject({ subjectId: 'globex', service: 'gateway' });
    expect(JSON.parse(audit!.detailsJson)).toEqual({ tenant: 'globex', tokenId: 'globex', owners: { 'acme-api': 'acme' } });

    // The owner's spike, after the forged one: ingest reads acme-api's partition in order, so had
    // the forged spike been published, its anomaly would come first.
    const ownAtMs = forgedAtMs + 50;
    expect((await report('acme', [latency('acme-api', ownAtMs, 5_000)])).status).toBe(202);
    const actions = await eventually(async () => {
      const found = (await bus.readValues(topics.healingActions)).filter((a) => a.assetId === 'acme-api');
      return found.length > 0 && found;
    }, 30_000, 'a healing action for acme-api');
    const anomalies = (await bus.readValues(topics.anomalies)).filter((a) => a.assetId === 'acme-api');
    expect(anomalies.map((a) => [a.sampleTimestampMs, a.tenant])).toEqual([[ownAtMs, 'acme']]);
    expect(actions.map((a) => [a.anomalyId, a.tenant])).toEqual([[anomalies[0]!.anomalyId, 'acme']]);
    const raw = (await bus.readValues(topics.telemetryRaw)).filter((s) => s.assetId === 'acme-api');
    expect(new Set(raw.map((s) => s.tenant))).toEqual(new Set(['acme']));
    const samples = (await bus.readValues(topics.telemetrySamples)).filter((s) => s.assetId === 'acme-api');
    expect(samples.map((s) => s.timestampMs)).not.toContain(forgedAtMs);
    expect(new Set(samples.map((s) => s.tenant))).toEqual(new Set(['acme']));
  });

  it('lets exactly one of two tenants racing for a new asset claim it', async () => {
    const asset = `contested-${Date.now()}`;
    const answers = await Promise.all(['acme', 'globex'].map((token) => report(token, [latency(asset, Date.now(), 10)])));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 403]);
    const winner = answers[0]!.status === 202 ? 'acme' : 'globex';
    await eventually(async () => (await bus.readValues(topics.audit)).some((a) => a.kind === 'telemetry.claim' && a.subjectId === asset
      && JSON.parse(a.detailsJson).tenant === winner), 30_000, 'the claim audited');
    // The winner keeps reporting; the loser stays refused.
    expect((await report(winner, [latency(asset, Date.now() + 1, 10)])).status).toBe(202);
    expect((await report(winner === 'acme' ? 'globex' : 'acme', [latency(asset, Date.now() + 2, 10)])).status).toBe(403);
  });

  it('holds a token to its asset patterns: 403 asset_out_of_scope outside them, audited', async () => {
    expect((await report('acme-web', [latency('web-shop', Date.now(), 10)])).status).toBe(202);
    const refused = await report('acme-web', [latency('web-cart', Date.now(), 10), latency('acme-api', Date.now(), 10)]);
    expect(refused).toMatchObject({ status: 403, body: { refused: { code: 'asset_out_of_scope', reasons: [expect.stringContaining('acme-api')] } } });
    await eventually(async () => (await refusals('asset_out_of_scope')).length > 0, 30_000, 'the scope refusal audited');
  });

  it('takes the owner from discovery, whose word beats a claim', async () => {
    // acme claims an asset no inventory lists yet.
    expect((await report('acme', [latency('moved-svc', Date.now(), 10)])).status).toBe(202);
    // The inventory then names globex as the owner of both.
    writeInventory([{ assetId: 'globex-db', tenant: 'globex' }, { assetId: 'moved-svc', tenant: 'globex' }]);
    await eventually(async () => {
      const assets = await bus.readValues(topics.assets);
      return ['globex-db', 'moved-svc'].every((id) => assets.some((a) => a.assetId === id && a.tenant === 'globex'));
    }, 30_000, 'discovery to publish both assets with their tenant');
    await eventually(async () => (await report('acme', [latency('moved-svc', Date.now(), 10)])).status === 403, 30_000, 'acme to be refused moved-svc');
    expect(await report('acme', [latency('globex-db', Date.now(), 10)])).toMatchObject({ status: 403, body: { refused: { code: 'asset_owned_by_another_tenant' } } });
    expect((await report('globex', [latency('globex-db', Date.now(), 10), latency('moved-svc', Date.now(), 10)])).status).toBe(202);
  });
});
