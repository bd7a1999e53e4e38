/**
 * Benchmark (not a test): the web console in headless chromium against a real projector and gateway,
 * on a tenant of 1,000 assets and 10,000 decision events written to the real topics.
 *
 * - Open: from navigation to the fleet drawn with every asset, and to the whole history loaded,
 *   measured on the page's own clock (performance.now() at the first animation frame that shows it).
 *   Baseline in the same run: the same history pages fetched by Node, in parallel as the console
 *   does, without a browser — what the data alone costs.
 * - Live: an anomaly produced to its topic, until it is the top incident on the page. Baseline in the
 *   same run: the same anomaly's arrival on a Node reader of GET /v1/events.
 *
 * Usage: npm run bench:console [-- --runs 5 --live 20]; prints JSON.
 */
import { loadavg } from 'node:os';
import { topics, type Anomaly } from '@maestro/contracts';
import { HISTORY } from '../console/src/history';
import { launchChromium } from '../test/support/chromium';
import { historyTopics, writeDecisionHistory } from '../test/support/decision-history';
import { eventually, stackEnv, uniquePrefix } from '../test/support/environment';
import { openSse } from '../test/read-model/sse-client';
import { spawnService } from '../test/support/services';
import { writeTelemetryTokens } from '../test/support/telemetry-tokens';
import { createTestBus } from '../test/support/test-bus';
import { createRedis } from '@maestro/state';
import { ensureStack, percentile } from './support/kafka-baseline';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('runs', 5);
const liveCount = arg('live', 20);
const ASSETS = 1_000;
const EVENTS = 10_000;

ensureStack();
const prefix = uniquePrefix('bench-console');
const tokens = writeTelemetryTokens({ ops: { tenant: 'acme' } });
const auth = tokens.headers.ops!;
const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TELEMETRY_TOKENS: tokens.path };
const bus = await createTestBus(prefix, historyTopics);
const services = await Promise.all([spawnService('projector', env), spawnService('gateway', env)]);
const gateway = services[1]!.url;
const browser = await launchChromium({ bypassCsp: true });
const { page } = browser;

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50Ms: +percentile(sorted, 0.5).toFixed(1), maxMs: +sorted.at(-1)!.toFixed(1) };
};

/** performance.now() at the first animation frame where `condition` (a page-side expression) holds. */
const frameWhen = (condition: string) => page.waitForFunction(`(${condition}) && performance.now()`, undefined, { polling: 'raf', timeout: 120_000 }).then((h) => h.jsonValue() as Promise<number>);

/** Every history page, fetched as the console fetches them (each route in order of its cursor, routes in parallel). */
async function fetchHistory(): Promise<number> {
  let items = 0;
  await Promise.all(HISTORY.map(async ([path, max, , params = {}]) => {
    let cursor: string | null = null;
    let got = 0;
    do {
      const query = new URLSearchParams({ ...params, limit: '500', ...(cursor ? { cursor } : {}) });
      const response = await fetch(`${gateway}${path}?${query}`, { headers: auth });
      const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      got += page.items.length;
      cursor = page.nextCursor;
    } while (cursor && got < max);
    items += got;
  }));
  return items;
}

try {
  const written = await writeDecisionHistory(bus, { tenant: 'acme', assets: ASSETS, events: EVENTS, nowMs: Date.now(), spanMs: 2 * 3_600_000 });
  await eventually(async () => (await fetchHistory()) >= ASSETS + 2_000 + written.counts.action + written.counts.recommendation + written.counts.audit, 120_000, 'the history to be projected');

  await page.goto(`${gateway}/console`);
  await page.evaluate(`localStorage.setItem('maestro.console.token', ${JSON.stringify(auth.authorization!.slice('Bearer '.length))})`);
  const fleet: number[] = [];
  const loaded: number[] = [];
  const baseline: number[] = [];
  let items = 0;
  for (let i = 0; i < runs; i++) {
    // Times are on the new document's clock, which starts at its navigation.
    await page.reload({ waitUntil: 'commit' });
    const [fleetMs, loadedMs] = await Promise.all([
      frameWhen(`document.querySelector('[data-testid=asset-count]')?.textContent === '${ASSETS}'`),
      frameWhen(`document.querySelector('[data-testid=live-state]') && !document.querySelector('header')?.textContent?.includes('loading history')`),
    ]);
    fleet.push(fleetMs);
    loaded.push(loadedMs);
    const start = performance.now();
    items = await fetchHistory();
    baseline.push(performance.now() - start);
  }

  // Live: the incidents page open, one anomaly at a time.
  await page.evaluate("location.hash = '#/incidents'");
  const stream = await openSse(`${gateway}/v1/events?kind=anomaly`, auth);
  const toPage: number[] = [];
  const toSse: number[] = [];
  for (let i = 0; i < liveCount; i++) {
    const t = Date.now();
    const value: Anomaly = { anomalyId: `bench-live-${i}`, assetId: 'node-0001', metric: 'latency_ms', kind: 'spike', relatedKinds: [], severity: 0.9, score: 0.9, value: 900, sampleTimestampMs: t, detectedAtMs: t, evidence: { zScore: 12 }, tenant: 'acme' };
    const onPage = page.waitForFunction(`document.querySelector('[data-testid=incident]')?.getAttribute('data-anomaly') === 'bench-live-${i}'`, undefined, { polling: 'raf', timeout: 30_000 });
    await bus.producer.send(topics.anomalies, [{ key: value.assetId, value }]);
    const acked = performance.now();
    const onSse = stream.waitFor((events) => events.some((e) => e.data.includes(`"bench-live-${i}"`)), 30_000).then(() => toSse.push(performance.now() - acked));
    await Promise.all([onPage.then(() => toPage.push(performance.now() - acked)), onSse]);
    await new Promise((r) => setTimeout(r, 200));
  }
  stream.close();

  process.stdout.write(`${JSON.stringify({
    assets: ASSETS, events: EVENTS, historyItemsLoaded: items, runs, loadAverage: +loadavg()[0]!.toFixed(1),
    open: { fleetDrawn: stats(fleet), historyLoaded: stats(loaded), baselineNodeFetchOfSameHistory: stats(baseline) },
    live: { anomalies: liveCount, producedToTopIncident: stats(toPage), baselineProducedToSseReader: stats(toSse) },
  }, null, 2)}\n`);
} finally {
  await browser.close();
  await Promise.all(services.map((s) => s.stop()));
  await bus.close();
  const redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'bench-console' });
  await redis.connect();
  // (test/support/redis-keys imports vitest, which a benchmark cannot load.)
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}
process.exit(0);
