/**
 * The web console in a real browser (Debian's chromium, driven by playwright-core) against the real
 * stack: a user pastes an API token, posts telemetry through the gateway, and sees the asset, then —
 * live, without reloading — the anomaly of a spike and the healer's decision with its reasons; the
 * asset's page charts its metric with the anomaly marked. A fleet of 1,000 assets renders as a
 * virtualised list (a few dozen rows in the DOM). A job submitted through POST /v1/jobs shows its
 * routing decision with every candidate; audit records are searchable; the optimizer's
 * recommendation from posted saturation shows with its confidence and the load forecast it
 * covers; a record ingest could not read shows in the dead-letter browser; a 200-character asset
 * id and long labels stay inside the page; a committed goal shows as a dependency graph and a Gantt
 * chart whose bars take each step's dispatch status live. Screenshots go to .artifacts/console/;
 * test/console/console-limits.test.ts covers 10,000 events, empty views and a failing gateway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type HealthSignal } from '@maestro/contracts';
import { launchChromium, type Chromium } from '../support/chromium';
import { CONSOLE_ARTIFACTS, shotOnFailure } from '../support/console-page';
import { stackEnv, uniquePrefix } from '../support/environment';
import { latencySignal, warmUp } from '../support/fleet';
import { spawnService, type SpawnedService } from '../support/services';
import { callSigned, newCaller, writeTrustStore } from '../support/signed-client';
import { createTestBus, type TestBus } from '../support/test-bus';

const prefix = uniquePrefix('console');
const running: SpawnedService[] = [];
let gateway: SpawnedService;
let redis: Redis;
let bus: TestBus;
let browser: Chromium;
let page: Page;

const secret = randomBytes(32).toString('base64url');
const token = `console-reader.${secret}`;
const agent = newCaller('console-agent', 'acme');

const env = {
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  DETECTOR_WARMUP_SAMPLES: '30', DETECTOR_REFRACTORY_SAMPLES: '5', HEALER_MODE: 'live',
  DISCOVERY_POLL_INTERVAL_MS: '1000', DISCOVERY_EVALUATE_INTERVAL_MS: '1000',
  // The default scale-up window (the newest sample alone) and a confidence span short enough that a
  // few seconds of samples make a confident recommendation.
  OPTIMIZER_FULL_CONFIDENCE_SPAN_MS: '10000',
};

async function telemetry(signals: HealthSignal[]): Promise<void> {
  for (let i = 0; i < signals.length; i += 500) {
    const body = { signals: signals.slice(i, i + 500).map(({ tenant: _t, receivedAtMs: _r, ...s }) => s) };
    const response = await fetch(`${gateway.url}/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, await response.text()).toBe(202);
  }
}

const shot = (name: string) => page.screenshot({ path: join(CONSOLE_ARTIFACTS, `${name}.png`), fullPage: false });

beforeAll(async () => {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'maestro-console-'));
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify({ 'console-reader': { tenant: 'acme', sha256: createHash('sha256').update(secret).digest('hex'), assets: [] } }));
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  redis = new Redis(stackEnv.REDIS_URL);
  bus = await createTestBus(prefix, [topics.telemetryRaw]);
  // Ten processes starting at once on two shared cores: more than the default 90 s each may take.
  const ready = { timeoutMs: 200_000 };
  const started = await Promise.all([
    spawnService('gateway', { ...env, GATEWAY_TELEMETRY_TOKENS: tokensFile, GATEWAY_TRUST_STORE: join(dir, 'trust.json'), GATEWAY_CALL_TIMEOUT_MS: '15000' }, ready),
    ...(['projector', 'ingest', 'detector', 'healer', 'discovery', 'optimizer', 'router', 'planner', 'dispatcher'] as const).map((n) => spawnService(n, env, ready)),
  ]);
  running.push(...started);
  gateway = started[0]!;
  browser = await launchChromium();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

describe('the web console', () => {
  shotOnFailure(shot);

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
    // The decision's details read as JSON, not as one escaped string.
    expect(await row.locator('pre').textContent()).toMatch(/"details": \{\n\s+"anomalyId": "checkout-1:/);

    // Narrowed to one service: the optimiser's recommendations about checkout-1 are among the rows
    // above; with the healer chosen only the healer's records answer.
    const notHealer = page.locator('[data-testid=audit-row]', { hasNotText: 'healer healing.' });
    await expect.poll(() => notHealer.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.selectOption('form.filters select[aria-label=service]', 'healer');
    await page.click('form.filters button[type=submit]');
    await expect.poll(() => notHealer.count(), { timeout: 10_000 }).toBe(0);
    expect(await page.locator('[data-testid=audit-row]').count()).toBeGreaterThan(0);
    await shot('audit-healer');

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

  it('shows the optimizer\'s recommendation from posted saturation with its confidence, and a record ingest could not read in the dead-letter browser', async () => {
    // Ten samples at the target saturation, then twenty at 1.5× it: the optimizer recommends scaling out.
    const start = Date.now() - 30 * 500;
    await telemetry(Array.from({ length: 30 }, (_, k): HealthSignal => ({
      assetId: 'cart-1', timestampMs: start + k * 500, metrics: { saturation: k < 10 ? 0.6 : 0.9 }, region: 'eu-west-1', provider: 'aws', labels: { replicas: '4' }, tenant: null, receivedAtMs: null,
    })));
    await page.click('a[href="#/recommendations"]');
    const row = page.locator('[data-testid=recommendation-list] .vrow', { hasText: 'cart-1' }).filter({ hasText: 'scale_out' }).first();
    await row.waitFor({ timeout: 90_000 });
    const confidence = Number(await row.locator('.bar').getAttribute('title'));
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThanOrEqual(1);
    // The optimizer's rationale with its numbers (how far it scales depends on how much of the surge it had seen).
    expect(await row.textContent()).toMatch(/scale_out 4 → \d+: saturation at/);
    // Beside the decision, the load forecast it covers: a point inside its band, in replicas' worth of work.
    const cell = row.locator('[data-testid=recommendation-forecast]');
    const [point, lower, upper] = (/^(\d+\.\d+) \((\d+\.\d+)–(\d+\.\d+)\)$/.exec((await cell.textContent()) ?? '') ?? []).slice(1).map(Number);
    expect(point).toBeGreaterThan(0);
    expect(lower).toBeLessThanOrEqual(point!);
    expect(upper).toBeGreaterThanOrEqual(point!);
    expect(await cell.getAttribute('title')).toMatch(/^peak load over the next \d+(\.\d+)? s: .* band .*covers its top/);
    await shot('recommendations');
    await row.locator('a', { hasText: 'cart-1' }).click();
    await page.locator('section p', { hasText: /Recommendation: scale_out cart-1 to \d+ replicas/ }).waitFor({ timeout: 30_000 });
    const forecastLine = (await page.locator('[data-testid=asset-forecast]').textContent()) ?? '';
    expect(forecastLine).toMatch(/^Forecast: peak load over the next \d+(\.\d+)? s: \d+\.\d+ replicas' worth of work at full utilisation, band \d+\.\d+–\d+\.\d+/);
    // The rationale just above it names the same horizon, to the same digits.
    const rationale = (await page.locator('section p', { hasText: /Recommendation: scale_out cart-1/ }).textContent()) ?? '';
    const horizonOf = (line: string) => /over the next ([\d.]+) s/.exec(line)?.[1];
    expect(horizonOf(rationale)).toBeDefined();
    expect(horizonOf(forecastLine)).toBe(horizonOf(rationale));
    // The recommendation published is the first surged sample's, which clears the band that ten level
    // samples drew: a burst. The page reads the flag from the record's evidence, the rationale from the core.
    expect(forecastLine).toContain('; burst: the latest sample cleared the last forecast\'s band');
    expect(rationale).toContain(', burst');
    expect(forecastLine.includes('; noise-dominated: ')).toBe(rationale.includes(', noise-dominated'));
    await shot('asset-recommendation');

    // Not Avro: ingest dead-letters it, keyed by an asset of the tenant, so the tenant sees it.
    await bus.producer.sendRaw(`${prefix}telemetry.raw`, [{ key: 'cart-1', value: Buffer.from('{"assetId":"cart-1" — JSON sent to an Avro topic}') }]);
    await page.click('a[href="#/dead-letters"]');
    const letter = page.locator('[data-testid=dead-letters-row]', { hasText: `${prefix}telemetry.raw` }).first();
    await expect.poll(async () => {
      if (await letter.count()) return true;
      await page.click('form.filters button[type=submit]');
      return false;
    }, { timeout: 60_000, interval: 1_000 }).toBe(true);
    // Where it came from and why: the source, the group that refused it, a code and a reason.
    expect(await letter.locator('.grid-dlq > span').evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').length > 0))).toEqual([true, true, true, true, true]);
    await letter.click();
    const value = letter.locator('[data-testid=dead-letter-value]');
    expect(await value.textContent()).toContain('as text');
    expect(await value.locator('pre').textContent()).toBe('{"assetId":"cart-1" — JSON sent to an Avro topic}');
    await shot('dead-letters');
  });

  it('keeps a 200-character asset id and long labels inside the page, cut short with the whole on hover', async () => {
    const longId = `checkout-eu-west-1-${'a'.repeat(181)}`;
    expect(longId).toHaveLength(200);
    const labels = { team: `platform-${'y'.repeat(240)}`, ['k'.repeat(64)]: 'v' };
    await telemetry([latencySignal(longId, Date.now() - 1_000, 50, labels)]);
    await page.click('a[href="#/fleet"]');
    const row = page.locator(`[data-testid=asset-row][data-asset="${longId}"]`);
    await row.waitFor({ timeout: 90_000 });
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await row.locator('a').getAttribute('title')).toBe(longId);
    await shot('long-names-fleet');

    await row.locator('a').click();
    const tags = page.locator('[data-testid=asset-tags]');
    await tags.locator('.pill', { hasText: 'team=platform-' }).waitFor({ timeout: 30_000 });
    expect(await tags.locator('.pill', { hasText: 'team=platform-' }).getAttribute('title')).toBe(`team=${labels.team}`);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Regression: the gateway answered GET /v1/assets/{id} of an id over 100 characters 414 (Fastify's maxParamLength).
    await page.locator('[data-testid=metric-chart][data-metric=latency_ms]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=asset-error]').count()).toBe(0);
    await shot('long-names-asset');
  });

  it('renders a fleet of 1,000 more assets as a virtualised list: the DOM holds a window of rows, scrolling moves it', async () => {
    const fleet = Array.from({ length: 1_000 }, (_, i) => `node-${String(i).padStart(4, '0')}`);
    await telemetry(fleet.map((id) => latencySignal(id, Date.now() - 1_000, 50)));
    await page.click('a[href="#/fleet"]');
    // With checkout-1 to 3, cart-1 and the long-named asset.
    await expect.poll(() => page.locator('[data-testid=asset-count]').textContent(), { timeout: 90_000 }).toBe('1005');
    const list = page.locator('[data-testid=asset-list]');
    expect(await list.getAttribute('data-total')).toBe('1005');
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
