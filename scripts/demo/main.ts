/**
 * `npm run demo`: Maestro closing the loop on a simulated fleet, in about two minutes.
 *
 * Starts the stack and every service as `npm start` does (scripts/start.ts), with healing LIVE (the
 * default elsewhere stays dry-run) and the executor's webhook runner pointed at the demo's own
 * remediation endpoint, which verifies the HMAC signature and really remediates the simulated
 * asset: a restart or failover makes its telemetry recover. Then, through the gateway:
 *
 * - 36 assets in four regions on three providers report every metric once a second, after a
 *   backfill that gives the detector its baselines;
 * - incidents are injected over time: a latency spike, an error-rate step, a slow CPU drift, an
 *   oscillation, a region going dark;
 * - a job is submitted every few seconds and routed away from the sick assets;
 * - a charter with a goal is declared, refined, committed and dispatched to simulated executors
 *   that report their outcomes.
 *
 * The console and the CLI show it all (the demo prints where). Ctrl-C stops everything; the Kafka
 * and registry of the local stack stay up for a quick restart (`npm run stack:down`).
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { runCharter } from './charter';
import { ensureDemoCredentials } from './credentials';
import { createFleet, demoAssets, demoRegions, demoScenario } from './fleet';
import { backfill, postTelemetry, submitJob, type GatewayTarget } from './gateway-traffic';
import { narrate } from './narration';
import { clearDemoNamespaces, demoRedisPrefix } from './redis-namespace';
import { startRemediationReceiver } from './remediation-receiver';
import { startStack } from './stack-process';

const root = resolve(import.meta.dirname, '../..');
const say = (line: string) => process.stdout.write(`${line}\n`);
const stamp = () => new Date().toISOString().slice(11, 19);
const tell = (line: string) => say(`${stamp()}  ${line}`);

/** Samples per asset sent before the incidents: DETECTOR_WARMUP_SAMPLES (120 by default) and a margin. */
const BACKFILL_SAMPLES = Number(process.env.DETECTOR_WARMUP_SAMPLES ?? 120) + 10;
const TICK_MS = 1_000;
const JOB_EVERY_MS = 4_000;

const home = resolve(process.env.MAESTRO_HOME ?? join(root, '.maestro'));
const credentials = ensureDemoCredentials(home);
const fleet = createFleet(demoAssets());
const secret = randomBytes(32).toString('hex');
const receiver = await startRemediationReceiver({
  fleet, secret, port: Number(process.env.DEMO_RECEIVER_PORT ?? 0),
  onAction: (a) => tell(`executed   ${a.strategy} of ${a.assetId} (action ${a.actionId}): ${a.outcome.detail}${a.outcome.ok ? '' : ' → refused with 422, the healer escalates'}`),
  onRefused: (reason) => tell(`remediation endpoint refused a request: ${reason}`),
});

// This run's Redis namespace (redis-namespace.ts), unless the user named one.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ownPrefix = process.env.MAESTRO_REDIS_PREFIX === undefined ? demoRedisPrefix(Date.now()) : null;

const runners = { runners: { 'demo-fleet': { type: 'webhook', url: receiver.url, timeoutMs: 5_000, retries: 2, backoffMs: 200 } }, strategies: { '*': 'demo-fleet' } };
const stack = startStack({
  // Demo defaults a user may still override from the environment...
  HEALER_MAX_IN_FLIGHT_PER_REGION: '10',
  // ...so that jobs come back to a healed asset within the demo rather than after ten minutes.
  ROUTER_ANOMALY_TTL_MS: '60000',
  ...process.env,
  ...(ownPrefix === null ? {} : { MAESTRO_REDIS_PREFIX: ownPrefix }),
  // ...and what the demo is: live healing through its remediation endpoint, with its credentials.
  HEALER_MODE: 'live',
  EXECUTOR_RUNNERS: JSON.stringify(runners),
  EXECUTOR_WEBHOOK_SECRET: secret,
  GATEWAY_TRUST_STORE: credentials.trustStore,
  GATEWAY_TELEMETRY_TOKENS: credentials.tokensFile,
}, say);

const stopping = new AbortController();
let exiting = false;
async function shutdown(reason: string, code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  stopping.abort();
  say(`\n${reason}: stopping the demo and every service…`);
  await stack.stop();
  await receiver.close();
  if (ownPrefix !== null) await clearDemoNamespaces(redisUrl, { only: ownPrefix }).catch(() => undefined);
  say('demo stopped. Kafka, the registry and Redis stay up for a quick restart; npm run stack:down stops them.');
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal, 0));
void stack.exited.then((code) => void shutdown(`the stack exited (code ${code})`, 1));

let urls: ReadonlyMap<string, string>;
try {
  urls = await stack.ready;
} catch (error) {
  say(`demo: ${(error as Error).message}`);
  await receiver.close();
  process.exit(1);
}
// A run killed before it could clean up leaves its namespace behind; this run's services touch only their own.
if (ownPrefix !== null) await clearDemoNamespaces(redisUrl, { keep: ownPrefix }).catch((error: Error) => say(`demo: earlier runs' Redis state was not cleared: ${error.message}`));
const gatewayUrl = urls.get('gateway');
if (!gatewayUrl) {
  say('demo: the gateway did not start (MAESTRO_SERVICES must include it)');
  await shutdown('no gateway', 1);
}
const target: GatewayTarget = { url: gatewayUrl!, token: credentials.token };
const startedMs = Date.now();
const charterId = `demo-${new Date(startedMs).toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
// The CLI reads the same topics only under the same prefix.
const cli = process.env.MAESTRO_TOPIC_PREFIX ? `MAESTRO_TOPIC_PREFIX=${process.env.MAESTRO_TOPIC_PREFIX} npm run maestro --` : 'npm run maestro --';

say(`
── The demo fleet ────────────────────────────────────────────────────────────────────────────
${fleet.assets.length} assets in ${demoRegions.join(', ')} on aws, gcp and azure; healing is LIVE, carried out by the
executor's webhook runner at ${receiver.url} (HMAC-verified), which remediates the simulated assets.

  console     ${gatewayUrl}/console        paste this token: ${credentials.token}
  CLI         ${cli} tail anomalies --follow
              ${cli} tail actions --follow        (and: results, decisions, audit)
              MAESTRO_TOKEN=${credentials.token} MAESTRO_GATEWAY_URL=${gatewayUrl} ${cli} job submit --class interactive --region eu-west-1
              ${cli} plan show ${charterId} report-1
  read API    curl -s ${gatewayUrl}/v1/anomalies -H "authorization: Bearer ${credentials.token}"

Ctrl-C stops the demo and every service.
──────────────────────────────────────────────────────────────────────────────────────────────
`);

try {
  tell(`sending ${BACKFILL_SAMPLES} s of healthy history per asset so the detector learns each series' baseline…`);
  await postTelemetry(target, backfill(fleet, Date.now(), BACKFILL_SAMPLES, TICK_MS));
} catch (error) {
  say(`demo: the backfill failed: ${(error as Error).message}`);
  await shutdown('backfill failed', 1);
}
tell('history sent; the fleet now reports every second, and the incidents begin.');

// Telemetry every second, fault-bent where a fault is in force.
const ticker = setInterval(() => {
  postTelemetry(target, fleet.signals(Date.now())).catch((error: Error) => tell(`telemetry: ${error.message}`));
}, TICK_MS);

// The incidents, each at its time.
const scenarioStartMs = Date.now();
const incidentTimers = demoScenario(fleet.assets).map((incident) => setTimeout(() => {
  fleet.inject(incident.kind, incident.assetIds, Date.now());
  tell(`INCIDENT   ${incident.says}`);
}, incident.atMs));

// A job every few seconds, each limited to one region in turn, so that a sick asset is among its candidates.
let jobs = 0;
const jobTimer = setInterval(() => {
  jobs += 1;
  const region = demoRegions[jobs % demoRegions.length]!;
  const jobClass = jobs % 2 === 0 ? 'interactive' : 'batch';
  submitJob(target, { jobClass, allowedRegions: [region], latencyObjectiveMs: 300 })
    .then((job) => { if (job.avoided.length > 0 || jobs % 5 === 0) tell(`job        ${jobClass} in ${region} ${job.summary}`); })
    .catch((error: Error) => tell(`job: ${error.message}`));
}, JOB_EVERY_MS);

const tally = narrate(target, startedMs, tell, stopping.signal);
runCharter({ gatewayUrl: target.url, caller: credentials.caller, charterId, say: (line) => tell(`plan       ${line}`), signal: stopping.signal })
  .catch((error: Error) => tell(`plan: ${error.message}`));

const summary = setInterval(() => {
  const minutes = ((Date.now() - scenarioStartMs) / 60_000).toFixed(1);
  tell(`── after ${minutes} min: ${tally.detected} anomalies detected, ${receiver.received.length} actions carried out, ${tally.verified} recoveries verified, ${jobs} jobs routed; `
    + `console ${gatewayUrl}/console`);
}, 30_000);

stopping.signal.addEventListener('abort', () => {
  clearInterval(ticker);
  clearInterval(jobTimer);
  clearInterval(summary);
  incidentTimers.forEach(clearTimeout);
});
