/**
 * The web console in a real browser (Debian's chromium, driven by playwright-core) against the real
 * stack: a user pastes an API token, posts telemetry through the gateway, and sees the asset, then —
 * live, without reloading — the anomaly of a spike and the healer's decision with its reasons; the
 * asset's page charts its metric with the anomaly marked. A fleet of 1,000 assets renders as a
 * virtualised list (a few dozen rows in the DOM). A job submitted through POST /v1/jobs shows its
 * routing decision with every candidate; audit records are searchable; a committed goal shows as a
 * dependency graph and a Gantt chart whose bars take each step's dispatch status live. Screenshots go to .artifacts/console/.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HealthSignal } from '@maestro/contracts';
import { stackEnv, uniquePrefix } from '../support/environment';
import { latencySignal, warmUp } from '../support/fleet';
import { spawnService, type SpawnedService } from '../support/services';
import { callSigned, newCaller, writeTrustStore } from '../support/signed-client';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../.artifacts/console');
const prefix = uniquePrefix('console');
const running: SpawnedService[] = [];
let gateway: SpawnedService;
let redis: Redis;
let context: BrowserContext;
let page: Page;
let profileDir: string;

const secret = randomBytes(32).toString('base64url');
const token = `console-reader.${secret}`;
const agent = newCaller('console-agent', 'acme');

const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5', HEALER_MODE: 'live',
  DISCOVERY_POLL_INTERVAL_MS: '1000', DISCOVERY_EVALUATE_INTERVAL_MS: '1000',
};

async function telemetry(signals: HealthSignal[]): Promise<void> {
  for (let i = 0; i < signals.length; i += 500) {
    const body = { signals: signals.slice(i, i + 500).map(({ tenant: _t, receivedAtMs: _r, ...s }) => s) };
    const response = await fetch(`${gateway.url}/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, await response.text()).toBe(202);
  }
}

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (README, Requirements); .ci/run installs it`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'maestro-console-'));
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify({ 'console-reader': { tenant: 'acme', sha256: createHash('sha256').update(secret).digest('hex'), assets: [] } }));
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  redis = new Redis(stackEnv.REDIS_URL);
  const started = await Promise.all([
    spawnService('gateway', { ...env, GATEWAY_TELEMETRY_TOKENS: tokensFile, GATEWAY_TRUST_STORE: join(dir, 'trust.json'), GATEWAY_CALL_TIMEOUT_MS: '15000' }),
    ...(['projector', 'ingest', 'detector', 'healer', 'discovery', 'router', 'planner', 'dispatcher'] as const).map((n) => spawnService(n, env)),
  ]);
  running.push(...started);
  gateway = started[0]!;
  // A fresh profile each run, and nothing that reaches beyond the gateway.
  profileDir = mkdtempSync(join(tmpdir(), 'maestro-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

describe('the web console', () => {
  // A failing step leaves the page as it was, to look at: .artifacts/console/failed-<test>.png.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('asks for a token (refusing an unknown one), then shows the asset, and live the anomaly of a spike and the healing decision with its reasons', async () => {
    await page.goto(`${gateway.url}/console`);
    // A token the gateway does not know sends the user back to the form, saying why.
    await page.fill('input[name=token]', `console-reader.${randomBytes(32).toString('base64url')}`);
    await page.click('button[type=submit]');
    await page.locator('form.token .error', { hasText: 'invalid_credential' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate("localStorage.getItem('maestro.console.token')")).toBeNull();
    await page.fill('input[name=token]', token);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=live-state]', { hasText: 'live' }).waitFor({ timeout: 30_000 });

    await telemetry(warmUp(['checkout-1', 'checkout-2', 'checkout-3'], 40));
    await page.locator('[data-testid=asset-row][data-asset=checkout-1]').waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator('[data-testid=asset-count]').textContent(), { timeout: 30_000 }).toBe('3');
    await shot('fleet');

    // The page is never reloaded from here: what appears came over the live stream.
    await telemetry([latencySignal('checkout-1', Date.now(), 900)]);
    await page.locator('[data-testid=open-anomalies]', { hasText: 'checkout-1' }).waitFor({ timeout: 90_000 });

    await page.click('a[href="#/incidents"]');
    const incident = page.locator('[data-testid=incident]').first();
    await incident.waitFor({ timeout: 30_000 });
    await expect.poll(() => incident.textContent()).toContain('spike');
    await incident.locator('[data-testid=action]').first().waitFor({ timeout: 90_000 });
    await incident.locator('[data-testid=decision]').first().waitFor({ timeout: 90_000 });
    const decision = await incident.locator('[data-testid=decision]').first().textContent();
    expect(decision).toContain('healing.decision');
    expect(await incident.locator('[data-testid=decision] li').count()).toBeGreaterThan(0);
    await shot('incident');

    await page.click('[data-testid=incident] a[href="#/asset/checkout-1"]');
    const chart = page.locator('[data-testid=metric-chart][data-metric=latency_ms]');
    await chart.waitFor({ timeout: 30_000 });
    await expect.poll(() => chart.getAttribute('data-markers'), { timeout: 30_000 }).toBe('1');
    expect(await chart.locator('canvas').count()).toBe(1);
    await shot('asset');
  });

  it('shows a job\'s routing decision with its per-candidate table, and the audit search finds the healing decision', async () => {
    const jobId = `job-${randomBytes(3).toString('hex')}`;
    const response = await fetch(`${gateway.url}/v1/jobs?waitMs=20000`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ jobId, jobClass: 'batch', capabilities: ['quantum'] }) });
    expect(response.status, await response.text()).toBe(200);
    await page.click('a[href="#/routing"]');
    const detail = page.locator('[data-testid=routing-detail]');
    await detail.locator('h3', { hasText: jobId }).waitFor({ timeout: 30_000 });
    expect(await detail.locator('h3').textContent()).toContain('refused');
    // Every checkout asset is a candidate the router rejected, each with its reasons.
    const rejected = detail.locator('tbody tr.rejected');
    await expect.poll(() => rejected.count()).toBeGreaterThanOrEqual(3);
    expect((await rejected.first().locator('td').nth(3).textContent())!.length).toBeGreaterThan(0);
    await shot('routing');

    await page.click('a[href="#/audit"]');
    await page.fill('form.filters input[placeholder=asset]', 'checkout-1');
    await page.click('form.filters button[type=submit]');
    const row = page.locator('[data-testid=audit-row]', { hasText: 'healing.decision' }).first();
    await row.waitFor({ timeout: 30_000 });
    // The search's answer, not the unfiltered first page: every row is about checkout-1.
    await expect.poll(() => page.locator('[data-testid=audit-row]', { hasNotText: 'checkout-1' }).count(), { timeout: 10_000 }).toBe(0);
    await row.click();
    expect(await row.locator('pre').textContent()).toContain('"subjectId": "checkout-1"');

    await page.click('a[href="#/dead-letters"]');
    await page.locator('[data-testid=dead-letters][data-loaded=true]').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await page.locator('section .error').count()).toBe(0);
    // A fresh search, not the audit view's filter carried over.
    expect(await page.inputValue('form.filters input[placeholder=asset]')).toBe('');
  });

  it('draws a committed goal as a dependency graph and a Gantt chart whose bars follow dispatch live', async () => {
    const call = async (operation: string, payload: Record<string, unknown>) => {
      const r = await callSigned(gateway.url, agent, operation, { charterId: 'ch-console', ...payload });
      expect(r.status, `${operation}: ${JSON.stringify(r.body)}`).toBe(200);
      return r.body.result as Record<string, unknown>;
    };
    const step = (id: string, durationMs: number) => ({ id, name: id, durationMs, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 } });
    await call('charter.declare', { budget: { cost: 100, tokens: 1_000_000 }, deadlineMs: 600_000, minTrust: 0.5, executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }] });
    await call('goal.refine', { goalId: 'g-report', expectedVersion: 0, intent: 'weekly report', steps: [step('fetch', 2_000), step('summarise', 4_000), step('publish', 1_000)], dependencies: [{ from: 'fetch', to: 'summarise' }, { from: 'summarise', to: 'publish' }] });
    await page.click('a[href="#/plans"]');
    const plan = page.locator('[data-testid=plan][data-goal=g-report]');
    await plan.waitFor({ timeout: 30_000 });
    expect(await plan.locator('[data-testid=plan-dag] g').count()).toBe(3);
    await expect.poll(() => plan.locator('[data-testid=gantt-bar]').evaluateAll((bars) => bars.map((b) => b.getAttribute('data-status')))).toEqual(['planned', 'planned', 'planned']);

    await call('graph.commit', { goalId: 'g-report', expectedVersion: 1 });
    const { workOrders } = (await call('allocate', { goalId: 'g-report', executorIds: ['w1'] })) as { workOrders: { workOrderId: string; stepId: string }[] };
    expect(workOrders.map((o) => o.stepId)).toEqual(['fetch']);
    await call('outcome.report', { workOrderId: workOrders[0]!.workOrderId, status: 'completed', actualDurationMs: 1_800, actualCost: 1 });
    // No reload: the execution records arrive over the stream and recolour the bars.
    const fetchBar = plan.locator('[data-testid=gantt-bar][data-step=fetch]');
    await expect.poll(() => fetchBar.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await plan.locator('[data-testid=gantt-bar][data-step=publish]').getAttribute('data-status')).toBe('pending');
    expect(await plan.locator('[data-testid=plan-dag] g[data-step=fetch]').getAttribute('data-status')).toBe('succeeded');
    // A commit rewrites the charter record, not the version's: the heading takes it from the charter.
    expect(await plan.locator('h3').textContent()).toContain('v1 committed');
    await shot('plans');
  });

  it('renders a fleet of 1,000 more assets as a virtualised list: the DOM holds a window of rows, scrolling moves it', async () => {
    const fleet = Array.from({ length: 1_000 }, (_, i) => `node-${String(i).padStart(4, '0')}`);
    await telemetry(fleet.map((id) => latencySignal(id, Date.now() - 1_000, 50)));
    await page.click('a[href="#/fleet"]');
    await expect.poll(() => page.locator('[data-testid=asset-count]').textContent(), { timeout: 90_000 }).toBe('1003');
    const list = page.locator('[data-testid=asset-list]');
    expect(await list.getAttribute('data-total')).toBe('1003');
    const rows = page.locator('[data-testid=asset-row]');
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await rows.count()).toBeLessThan(60);
    expect(await page.locator('[data-testid=asset-row][data-asset=node-0999]').count()).toBe(0);

    await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.locator('[data-testid=asset-row][data-asset=node-0999]').waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBeLessThan(60);
    expect(await page.locator('[data-testid=asset-row][data-asset=checkout-1]').count()).toBe(0);
    await shot('fleet-1000');
  });
});
