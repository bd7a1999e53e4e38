/**
 * Chaos benchmark (not a test): steady telemetry and protocol load through the gateway while each
 * service in turn is SIGKILLed (and restarted by the supervisor `npm start` uses), the broker is
 * paused and restarted, and Redis is restarted (losing every key). For each fault it prints what the
 * clients had acknowledged, what the system applied, what was lost (acknowledged, never applied) and
 * what was doubled (applied twice), and how long until every service answered /readyz 200 again.
 *
 * Runs on a broker and a Redis of its own (ports 19092 and 16379 by default), so nothing else on the
 * machine is disturbed; the shared registry is reused under a fresh topic prefix.
 *
 *   telemetry  batches of 10 signals every 100 ms; a 5xx or a dropped connection is retried with the
 *              same batch (same assets and timestamps) until answered; acknowledged = 202. Applied =
 *              the sample on telemetry.samples (ingest's output); doubled = the same (asset, time) twice.
 *   protocol   four callers refining new goals one after another, each with its goal id as
 *              Idempotency-Key, retried (newly signed) after any 5xx until answered; acknowledged =
 *              200. Applied = the goal in query.goals; doubled = its latestVersion above 1.
 *
 * An item is counted in the phase it was sent in. The phase changes the instant its fault strikes,
 * so items acknowledged just before it, still on their way through the services, count in the
 * phase before: a doubled sample is printed with how long before the next fault it was acknowledged,
 * its copies on telemetry.samples (partition, offset, when ingest published it) and its signals on
 * telemetry.raw (two there: sent twice into the system; one: ingest published it twice).
 * "Ready again" counts from the fault itself, a broker's own restart or pause included.
 *
 * Usage: npm run chaos [-- --fault-gap-s 15 --kafka-port 19092 --redis-port 16379]
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { topics } from '@maestro/contracts';
import { createSupervisor } from '../scripts/supervision/supervisor';
import { callSigned, newCaller, post, writeTrustStore } from '../test/support/signed-client';
import { writeTelemetryTokens } from '../test/support/telemetry-tokens';
import { faultPlan, tally, type Ledger } from './support/chaos-ledger';
import { startChaosStack } from './support/chaos-stack';
import { ensureStack } from './support/kafka-baseline';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const faultGapMs = arg('fault-gap-s', 15) * 1000;
const kafkaPort = arg('kafka-port', 19092);
const redisPort = arg('redis-port', 16379);
const gatewayPort = arg('gateway-port', 18080);
const root = resolve(import.meta.dirname, '..');

ensureStack();
const stack = startChaosStack({ kafkaPort, redisPort, registryUrl: process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7' });
// The test support modules read the stack's address when they load: point them at the chaos stack first.
Object.assign(process.env, stack.env);
const { createTestBus } = await import('../test/support/test-bus');
const { serviceNames } = await import('../test/support/services');
const { kafkaEnvFor } = await import('../test/support/kafka-auth');

const prefix = `chaos-${randomBytes(3).toString('hex')}.`;
const dir = mkdtempSync(join(tmpdir(), 'maestro-chaos-'));
const callers = Array.from({ length: 4 }, (_, i) => newCaller(`chaos-${i}`, 'chaos'));
const trustStore = join(dir, 'trust.json');
writeTrustStore(trustStore, callers);
const telemetryTokens = writeTelemetryTokens({ 'chaos-agent': { tenant: 'chaos' } });
const gateway = `http://127.0.0.1:${gatewayPort}`;

const urls = new Map<string, string>();
// Each service's output goes to a file, so a slow recovery can be read afterwards.
const logDir = join(stack.dir, 'logs');
mkdirSync(logDir, { recursive: true });
const logs = new Map<string, WriteStream>(serviceNames.map((name) => [name, createWriteStream(join(logDir, `${name}.log`), { flags: 'w' })]));
const baseEnv = {
  ...process.env, ...stack.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', LOG_LEVEL: 'info', MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
  GATEWAY_TRUST_STORE: trustStore, GATEWAY_TELEMETRY_TOKENS: telemetryTokens.path, KAFKA_SESSION_TIMEOUT_MS: '10000',
};
// On the authenticated broker each service runs as its own principal, its ACLs granted for this prefix.
const processes = await Promise.all(serviceNames.map(async (name) => ({
  name, command: process.execPath, args: ['--import', 'tsx', join(root, 'services', name, 'src/main.ts')], cwd: root,
  env: { ...baseEnv, ...await kafkaEnvFor(name, baseEnv), HTTP_PORT: name === 'gateway' ? String(gatewayPort) : '0' },
})));
const supervisor = createSupervisor({
  stopGraceMs: 15_000,
  processes,
  events: {
    output: (name, chunk) => logs.get(name)?.write(chunk),
    line(name, line) {
      if (line.includes('"msg":"ready"')) urls.set(name, (JSON.parse(line) as { url: string }).url);
    },
  },
});

/** The services not ready now (none: all are), each with why: its failing /readyz checks, or no answer. */
async function notReady(): Promise<{ name: string; why: string }[]> {
  const checks = await Promise.all(serviceNames.map(async (name): Promise<string | null> => {
    const url = urls.get(name);
    if (!url || supervisor.pidOf(name) === undefined) return 'not started or not ready yet';
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return null;
      const body = await response.json() as { checks?: Record<string, { ok: boolean; error?: string }> };
      return Object.entries(body.checks ?? {}).filter(([, c]) => !c.ok).map(([check, c]) => `${check}: ${c.error ?? 'failing'}`).join('; ') || `answered ${response.status}`;
    } catch (error) {
      return `no answer (${(error as Error).message})`;
    }
  }));
  return serviceNames.flatMap((name, i) => (checks[i] === null ? [] : [{ name, why: checks[i]! }]));
}

async function waitAllReady(limitMs: number): Promise<number | null> {
  const start = Date.now();
  let waiting: { name: string; why: string }[] = [];
  while (Date.now() - start < limitMs) {
    const last = waiting;
    waiting = await notReady();
    if (waiting.length === 0) {
      // The slowest services name where recovery time goes.
      if (last.length > 0) process.stdout.write(`  last ready: ${last.map((w) => w.name).join(', ')}\n`);
      return Date.now() - start;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const { name, why } of waiting) process.stdout.write(`  still not ready: ${name}: ${why.slice(0, 400)}\n`);
  process.stdout.write(`  (service logs: ${logDir})\n`);
  return null;
}

const ledger: Ledger = { telemetry: new Map(), goals: new Map(), refused: new Map() };
/** A call finally answered with a refusal (not 5xx), or not answered within two minutes: not acknowledged. */
const noteRefused = (load: 'telemetry' | 'protocol', sentIn: string) => ledger.refused.set(`${load}|${sentIn}`, (ledger.refused.get(`${load}|${sentIn}`) ?? 0) + 1);
/** When each acknowledged sample was acknowledged: a doubled one is told against the fault that followed. */
const telemetryAckedAt = new Map<string, number>();
let phase = 'steady';
let running = true;

// --- load -------------------------------------------------------------------------------------------

/** Calls until a non-5xx answer (409 in progress included), for up to two minutes or until the load stops. */
async function retryUntilAnswered<T>(attempt: () => Promise<{ status: number; value: T }>, whileLoading = true): Promise<{ status: number; value: T } | null> {
  const deadline = Date.now() + 120_000;
  while ((running || !whileLoading) && Date.now() < deadline) {
    try {
      const answer = await attempt();
      if (answer.status < 500 && answer.status !== 409) return answer;
    } catch {
      // The gateway itself is down (connection refused or reset): the call may or may not have landed.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

async function telemetryLoad(): Promise<void> {
  const assets = Array.from({ length: 50 }, (_, i) => `chaos-asset-${i}`);
  for (let tick = 0; running; tick++) {
    const ts = Date.now();
    const batch = assets.slice((tick * 10) % 50, (tick * 10) % 50 + 10).map((assetId) => ({ assetId, timestampMs: ts, metrics: { latency_ms: 40 + (tick % 7), cpu_percent: 50 } }));
    const sentIn = phase;
    const answer = await retryUntilAnswered(async () => {
      const r = await post(gateway, '/v1/telemetry', JSON.stringify({ signals: batch }), telemetryTokens.headers['chaos-agent']);
      return { status: r.status, value: null };
    });
    if (answer?.status === 202) {
      for (const s of batch) {
        ledger.telemetry.set(`${s.assetId}@${s.timestampMs}`, sentIn);
        telemetryAckedAt.set(`${s.assetId}@${s.timestampMs}`, Date.now());
      }
    }
    else noteRefused('telemetry', sentIn);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every charter a caller declared; a charter holds at most 32 goals (the planner's maximum), so each caller moves on after 30. */
const declaredCharters: { callerIndex: number; charterId: string }[] = [];
const GOALS_PER_CHARTER = 30;

async function declareCharter(callerIndex: number, charterId: string): Promise<boolean> {
  const sentIn = phase;
  const declared = await retryUntilAnswered(async () => {
    const r = await callSigned(gateway, callers[callerIndex]!, 'charter.declare', {
      charterId, budget: { cost: 1e9, tokens: 1e12 }, deadlineMs: 86_400_000, minTrust: 0.5,
      executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }],
    }, { idempotencyKey: `declare-${charterId}` });
    return { status: r.status, value: null };
  });
  if (declared?.status === 200) {
    declaredCharters.push({ callerIndex, charterId });
    return true;
  }
  noteRefused('protocol', sentIn);
  return false;
}

async function protocolLoad(callerIndex: number): Promise<void> {
  const caller = callers[callerIndex]!;
  let charterId = '';
  for (let n = 0; running; n++) {
    if (n % GOALS_PER_CHARTER === 0) {
      charterId = `chaos-ch-${callerIndex}-${n / GOALS_PER_CHARTER}`;
      while (running && !await declareCharter(callerIndex, charterId)) await new Promise((r) => setTimeout(r, 1_000));
    }
    const goalId = `g-${callerIndex}-${n}`;
    const sentIn = phase;
    const answer = await retryUntilAnswered(async () => {
      const r = await callSigned(gateway, caller, 'goal.refine', {
        charterId, goalId, steps: [{ id: 'a', name: 'a', durationMs: 1000, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 } }], dependencies: [],
      }, { idempotencyKey: `refine-${goalId}` });
      return { status: r.status, value: null };
    });
    if (answer?.status === 200) ledger.goals.set(`${charterId}/${goalId}`, sentIn);
    else noteRefused('protocol', sentIn);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Whatever happens, the services and the chaos stack go: they are detached and would outlive this process.
const cleanUp = async () => {
  running = false;
  await supervisor.stop();
  stack.down();
};
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
let rows: ReturnType<typeof tally>;
try {
  supervisor.start();
  const bootMs = await waitAllReady(180_000);
  if (bootMs === null) throw new Error('the services did not all become ready within 180 s');
  process.stdout.write(`all ${serviceNames.length} services ready after ${(bootMs / 1000).toFixed(1)} s\n`);

  const loads = [telemetryLoad(), ...callers.map((_, i) => protocolLoad(i))];

  // --- faults -----------------------------------------------------------------------------------------
  const recovery = new Map<string, number | null>();
  const faultTimes: [string, number][] = [];
  await new Promise((r) => setTimeout(r, faultGapMs));
  for (const fault of faultPlan(serviceNames)) {
    phase = fault.name;
    const faultAt = Date.now();
    faultTimes.push([fault.name, faultAt]);
    process.stdout.write(`fault: ${fault.name} at ${new Date(faultAt).toISOString()}\n`);
    if (fault.kind === 'kill') {
      const pid = supervisor.pidOf(fault.target);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      urls.delete(fault.target);
      await new Promise((r) => setTimeout(r, 500));
    } else {
      if (fault.kind === 'pause-broker') await stack.pauseBroker(10_000);
      else if (fault.kind === 'restart-broker') await stack.restartBroker();
      else await stack.restartRedis();
      process.stdout.write(`  ${fault.kind === 'restart-redis' ? 'Redis' : 'the broker'} back after ${((Date.now() - faultAt) / 1000).toFixed(1)} s\n`);
    }
    // Counted from the fault itself: a broker's own restart or pause is part of the outage.
    const readyAfter = await waitAllReady(120_000) === null ? null : Date.now() - faultAt;
    recovery.set(fault.name, readyAfter);
    process.stdout.write(`  every service ready again ${readyAfter === null ? 'not within 120 s of the broker or Redis being back' : `${(readyAfter / 1000).toFixed(1)} s after the fault`}\n`);
    await new Promise((r) => setTimeout(r, faultGapMs));
  }
  phase = 'steady';
  running = false;
  await Promise.allSettled(loads);

  // --- what was applied -------------------------------------------------------------------------------
  // Let the last acknowledged samples reach ingest's output before reading it.
  await new Promise((r) => setTimeout(r, 10_000));
  const bus = await createTestBus(prefix, [topics.telemetrySamples, topics.telemetryRaw]);
  const copies = new Map<string, string[]>();
  for (const r of await bus.readAll(bus.codecs.topicName(topics.telemetrySamples), 120_000)) {
    const s = await bus.codecs.decode(topics.telemetrySamples, r.value);
    const key = `${s.assetId}@${s.timestampMs}`;
    copies.set(key, [...copies.get(key) ?? [], `[${r.partition}]@${r.offset} ingested ${new Date(s.ingestedAtMs).toISOString()}`]);
  }
  const appliedTelemetry = new Map([...copies].map(([key, seen]) => [key, seen.length]));
  // A doubled sample, told apart: two signals on telemetry.raw (the gateway or its caller sent it
  // twice) or one (ingest published it twice), and when each copy went out against the faults.
  const doubled = [...copies].filter(([, seen]) => seen.length > 1);
  const rawCopies = new Map<string, string[]>();
  for (const r of await bus.readAll(bus.codecs.topicName(topics.telemetryRaw), 120_000)) {
    const s = await bus.codecs.decode(topics.telemetryRaw, r.value);
    const key = `${s.assetId}@${s.timestampMs}`;
    rawCopies.set(key, [...rawCopies.get(key) ?? [], `[${r.partition}]@${r.offset}`]);
  }
  // Signals the gateway wrote twice (a batch retried after its first attempt had landed): ingest
  // must drop the second copy, so these show what its deduplication absorbed.
  const sentTwice = [...rawCopies.values()].filter((seen) => seen.length > 1).length;
  process.stdout.write(`\n${sentTwice} signals reached telemetry.raw more than once (retried batches); ${doubled.length} samples left ingest more than once\n`);
  if (doubled.length > 0) {
    process.stdout.write(`\ndoubled samples (fault times: ${faultTimes.map(([name, at]) => `${name} ${new Date(at).toISOString()}`).join(', ')}):\n`);
    for (const [key, seen] of doubled) {
      // An item is labelled with the phase it was acknowledged in; one acknowledged just before a
      // fault was still on its way through the services when the fault struck.
      const ackedAt = telemetryAckedAt.get(key);
      const next = ackedAt === undefined ? undefined : faultTimes.find(([, at]) => at >= ackedAt);
      const when = next && ackedAt !== undefined ? `, ${((next[1] - ackedAt) / 1000).toFixed(1)} s before ${next[0]}` : '';
      process.stdout.write(`  ${key} acked in ${ledger.telemetry.get(key) ?? '?'}${when}: samples ${seen.join(', ')}; raw ${(rawCopies.get(key) ?? []).join(', ')}\n`);
    }
  }
  const appliedGoals = new Map<string, number>();
  for (const { callerIndex, charterId } of declaredCharters) {
    const caller = callers[callerIndex]!;
    let cursor: string | undefined;
    do {
      const page = { charterId, limit: 100, ...(cursor ? { cursor } : {}) };
      const r = await retryUntilAnswered(async () => {
        const called = await callSigned(gateway, caller, 'query.goals', page);
        return { status: called.status, value: called.body };
      }, false);
      if (r?.status !== 200) throw new Error(`query.goals on ${charterId} answered ${r?.status ?? 'nothing within 120 s'}: ${JSON.stringify(r?.value.refused)}`);
      const result = r.value.result as { goals: { goalId: string; latestVersion: number }[]; nextCursor: string | null };
      for (const g of result.goals) appliedGoals.set(`${charterId}/${g.goalId}`, g.latestVersion);
      cursor = result.nextCursor ?? undefined;
    } while (cursor);
  }
  await bus.close();
  rows = tally(ledger, appliedTelemetry, appliedGoals, recovery);
} finally {
  await cleanUp();
}
process.stdout.write(`\n${'fault'.padEnd(22)} ${'telemetry acked/applied/lost/doubled/refused'.padEnd(46)} ${'protocol acked/applied/lost/doubled/refused'.padEnd(46)} ready again\n`);
for (const r of rows) {
  const t = `${r.telemetry.acked}/${r.telemetry.applied}/${r.telemetry.lost}/${r.telemetry.doubled}/${r.telemetry.refused}`;
  const p = `${r.protocol.acked}/${r.protocol.applied}/${r.protocol.lost}/${r.protocol.doubled}/${r.protocol.refused}`;
  process.stdout.write(`${r.phase.padEnd(22)} ${t.padEnd(46)} ${p.padEnd(46)} ${r.readyAfterMs === undefined ? '—' : r.readyAfterMs === null ? 'not within 120 s' : `${(r.readyAfterMs / 1000).toFixed(1)} s`}\n`);
}
process.exit(0);
