/**
 * The live stream's `gap` in a real browser against a real projector and gateway: a projector whose
 * tenant stream keeps the newest 100 events (PROJECTOR_MAX_EVENTS, its smallest), the gateway stopped
 * while 200 anomalies are projected, so that the events after the console's last id are trimmed
 * before it reconnects. The console must say that events were missed and what its lists show (not
 * that a reload brings them back: the read API trimmed them too, which this checks), and stay usable.
 * Screenshots go to .artifacts/console/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type Anomaly } from '@maestro/contracts';
import { tenantKeys } from '../../services/projector/src/read-model-keys';
import { launchChromium, type Chromium } from '../support/chromium';
import { CONSOLE_ARTIFACTS, freePort, shotOnFailure } from '../support/console-page';
import { eventually } from '../support/environment';
import { useRedis } from '../support/redis-keys';
import { spawnService, type SpawnedService } from '../support/services';
import { writeTelemetryTokens } from '../support/telemetry-tokens';
import { createTestBus, type TestBus } from '../support/test-bus';

/** PROJECTOR_MAX_EVENTS at its smallest: the stream is trimmed back to it past 110. */
const MAX_EVENTS = 100;
const BEFORE = 5;
/** Projected while the gateway is away: past the bound, so the console's last id is trimmed. */
const AWAY = 200;

const state = useRedis('console-gap');
const tokens = writeTelemetryTokens({ ops: { tenant: 'acme' } });
const token = tokens.headers.ops!.authorization!.slice('Bearer '.length);
const env = { MAESTRO_TOPIC_PREFIX: state.prefix, MAESTRO_REDIS_PREFIX: state.prefix, GATEWAY_TELEMETRY_TOKENS: tokens.path, PROJECTOR_MAX_EVENTS: String(MAX_EVENTS) };

let bus: TestBus;
let projector: SpawnedService;
let gateway: SpawnedService;
let gatewayPort: number;
let browser: Chromium;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(CONSOLE_ARTIFACTS, `${name}.png`) });

const startGateway = () => spawnService('gateway', { ...env, HTTP_PORT: String(gatewayPort) });

const anomaly = (anomalyId: string, atMs: number): { key: string; value: Anomaly } => ({
  key: 'node-1',
  value: { anomalyId, assetId: 'node-1', metric: 'latency_ms', kind: 'spike', relatedKinds: [], severity: 0.7, score: 0.9, value: 950, sampleTimestampMs: atMs, detectedAtMs: atMs, evidence: { zScore: 15 }, tenant: 'acme' },
});

beforeAll(async () => {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  gatewayPort = await freePort();
  bus = await createTestBus(state.prefix, [topics.anomalies]);
  [projector, gateway] = await Promise.all([spawnService('projector', env), startGateway()]);
  browser = await launchChromium();
  page = browser.page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([projector, gateway].filter(Boolean).map((s) => s.stop('SIGTERM')));
  await bus?.close();
});

describe('the web console when the live stream skips trimmed events', () => {
  shotOnFailure(shot);

  it('says that live events were missed and what the lists show, without blocking them', async () => {
    await page.goto(`${gateway.url}/console#/incidents`);
    await page.fill('input[name=token]', token);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=live-state]', { hasText: 'live' }).waitFor({ timeout: 30_000 });
    await page.locator('header', { hasText: 'loading history' }).waitFor({ state: 'detached', timeout: 30_000 });

    const startMs = Date.now();
    await bus.producer.send(topics.anomalies, Array.from({ length: BEFORE }, (_, i) => anomaly(`before-${i}`, startMs + i)));
    const top = page.locator('[data-testid=incident]').first();
    await expect.poll(() => top.getAttribute('data-anomaly'), { timeout: 60_000 }).toBe(`before-${BEFORE - 1}`);

    // Away long enough for the projector to trim the stream past the console's last id.
    await gateway.stop('SIGTERM');
    await page.locator('[data-testid=live-state]', { hasText: 'live' }).waitFor({ state: 'detached', timeout: 30_000 });
    const away = Array.from({ length: AWAY }, (_, i) => anomaly(`away-${String(i).padStart(3, '0')}`, startMs + BEFORE + i));
    for (let i = 0; i < away.length; i += 50) await bus.producer.send(topics.anomalies, away.slice(i, i + 50));
    const keys = tenantKeys(state.keys, 'acme');
    const newest = away.at(-1)!.value.anomalyId;
    await eventually(async () => {
      const [last] = await state.redis.xrevrange(keys.stream, '+', '-', 'COUNT', 1);
      return last !== undefined && last[1].join('\n').includes(`"anomalyId":"${newest}"`) && (await state.redis.get(keys.streamTrimmed)) !== null;
    }, 60_000, 'the anomalies projected and the stream trimmed');

    gateway = await startGateway();
    const notice = page.locator('[data-testid=live-gap]');
    await notice.waitFor({ timeout: 60_000 });
    const said = (await notice.textContent()) ?? '';
    expect(said).toContain('Some live events were missed.');
    expect(said).toMatch(/the gateway trimmed the events added to the stream after \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ up to \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    expect(said).toContain('at most 10,000 of each kind');
    expect(said).toContain('a reload does not bring them back');
    expect(await notice.getAttribute('role')).toBe('status');

    // Non-blocking: what the stream still had arrives under the notice, and the views stay usable.
    await expect.poll(() => top.getAttribute('data-anomaly'), { timeout: 60_000 }).toBe(newest);
    const kept = Number(/\((\d+) anomalies\)/.exec((await page.locator('section h2').first().textContent()) ?? '')?.[1]);
    expect(kept).toBeGreaterThan(MAX_EVENTS);
    expect(kept).toBeLessThan(BEFORE + AWAY);
    await shot('live-gap');

    // True to its word: the first anomaly projected while away is in no list of the read API either.
    const listed = await fetch(`${gateway.url}/v1/anomalies?limit=500`, { headers: tokens.headers.ops! }).then((r) => r.json() as Promise<{ items: { record: { anomalyId: string } }[] }>);
    expect(listed.items.length).toBeGreaterThan(0);
    expect(listed.items.some((e) => e.record.anomalyId === 'away-000')).toBe(false);

    await page.click('a[href="#/fleet"]');
    await page.locator('[data-testid=asset-count]').waitFor();
    expect(await notice.count()).toBe(1);
    await notice.locator('button', { hasText: 'dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });
});
