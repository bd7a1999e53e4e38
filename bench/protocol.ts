/**
 * Benchmark (not a test): requests per second and p50/p99 latency of one MAESTRO call through the
 * whole path — HTTP → gateway (parse, validate, authenticate with an ed25519 verify and a Redis
 * nonce, authorise, policy, dispatch) → Kafka → planner → Kafka → gateway (audit record produced)
 * → HTTP — beside, in the same run, on the same broker and loopback: a bare Fastify route, and a
 * raw kafkajs request/reply (producer → responder consumer → reply producer → requester consumer).
 * Every load keeps `--concurrency` calls in flight and stops at `--count` calls or `--seconds`.
 * The client signs each call (fresh nonce) inside the timed loop, as a real client would.
 * With `--stub`, a batched stand-in answers on protocol.requests instead of the planner: the
 * same path minus the planner's own work, to tell the gateway's share from the planner's.
 * Usage: npx tsx bench/protocol.ts [--concurrency 32 --count 5000 --seconds 30 --charters 16] [--stub]
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Partitioners, type Kafka } from 'kafkajs';
import { topics } from '@maestro/contracts';
import { createBatchConsumer, createKafkaClient, ensureTopics, silentLogger, subscription, type BatchConsumer } from '@maestro/bus';
import { rawPublicKeyBase64, signRequest } from '../services/gateway/src/domain';
import { spawnService, type SpawnedService } from '../test/support/services';
import { createTestBus } from '../test/support/test-bus';
import { stackEnv } from '../test/support/environment';
import { adminClientOptions } from '../test/support/kafka-auth';
import { ensureStack, percentile } from './support/kafka-baseline';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const concurrency = arg('concurrency', 32);
const count = arg('count', 5_000);
const seconds = arg('seconds', 30);
const charterCount = arg('charters', 16);
const warmup = Math.min(500, Math.ceil(count / 10));
const useStub = process.argv.includes('--stub');
const prefix = `bench-proto-${randomBytes(3).toString('hex')}.`;

interface LoadResult { calls: number; seconds: number; requestsPerSecond: number; p50Ms: number; p99Ms: number; failures: number; statuses: Record<string, number> }

/** Keeps `concurrency` calls in flight until `total` have been made or `maxSeconds` pass; `call` resolves with a status label. */
async function load(call: (i: number) => Promise<string>, total: number, maxSeconds: number, ok = '200'): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const stopAt = performance.now() + maxSeconds * 1000;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total && performance.now() < stopAt) {
      const i = next++;
      const started = performance.now();
      const status = await call(i).catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
      latencies.push(performance.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    calls: latencies.length, seconds: round(elapsed), requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: round(percentile(latencies, 0.5)), p99Ms: round(percentile(latencies, 0.99)),
    failures: latencies.length - (statuses[ok] ?? 0), statuses,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

/** One POST over a kept-alive loopback connection; resolves with the status (the body is read and dropped). */
function post(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Request/reply with nothing but kafkajs: correlation id in a header, one topic each way. */
async function rawKafkaRequestReply(kafka: Kafka): Promise<LoadResult> {
  const requestsTopic = `${prefix}raw.requests`;
  const repliesTopic = `${prefix}raw.replies`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: requestsTopic, numPartitions: 6 }, { topic: repliesTopic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const waiting = new Map<string, () => void>();
  const responder = kafka.consumer({ groupId: `${prefix}raw-responder`, maxWaitTimeInMs: 5 });
  const requester = kafka.consumer({ groupId: `${prefix}raw-requester`, maxWaitTimeInMs: 5 });
  await Promise.all([responder.connect(), requester.connect()]);
  await responder.subscribe({ topic: requestsTopic, fromBeginning: true });
  await requester.subscribe({ topic: repliesTopic, fromBeginning: true });
  let joined = 0;
  const bothJoined = new Promise<void>((resolve) => {
    for (const c of [responder, requester]) c.on(c.events.GROUP_JOIN, () => { if (++joined === 2) resolve(); });
  });
  await responder.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      await producer.send({ topic: repliesTopic, messages: batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })) });
    },
  });
  await requester.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const id = m.headers?.correlationId?.toString();
        if (id) waiting.get(id)?.();
      }
    },
  });
  await bothJoined;
  const payload = Buffer.from(JSON.stringify({ operation: 'query.goals', payload: { charterId: 'ch-0', limit: 20 } }));
  const call = (i: number) => new Promise<string>((resolve, reject) => {
    const id = randomUUID();
    const timer = setTimeout(() => { waiting.delete(id); reject(new Error('timeout')); }, 10_000);
    waiting.set(id, () => { clearTimeout(timer); waiting.delete(id); resolve('ok'); });
    producer.send({ topic: requestsTopic, messages: [{ key: `ch-${i % charterCount}`, value: payload, headers: { correlationId: id } }] }).catch(reject);
  });
  await load(call, warmup, seconds, 'ok');
  const result = await load(call, count, seconds, 'ok');
  await Promise.all([responder.disconnect(), requester.disconnect(), producer.disconnect()]);
  return result;
}

async function bareFastify(): Promise<LoadResult> {
  const app = Fastify();
  app.post('/echo', async (request) => ({ result: request.body, audit: 'none' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const body = JSON.stringify({ payload: { charterId: 'ch-0', limit: 20 } });
  const call = () => post(`http://127.0.0.1:${port}/echo`, body);
  await load(call, warmup, seconds);
  const result = await load(call, count, seconds);
  await app.close();
  return result;
}

ensureStack();
const dir = mkdtempSync(join(tmpdir(), 'maestro-bench-'));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
writeFileSync(join(dir, 'trust.json'), JSON.stringify({ 'bench-client': { publicKey: rawPublicKeyBase64(publicKey), tenant: 'bench', capabilities: ['map.maestro.*'] } }));
const kafka = createKafkaClient({ brokers: stackEnv.KAFKA_BROKERS.split(','), clientId: 'maestro-bench', logger: silentLogger, ...adminClientOptions() });
await ensureTopics({ kafka, specs: [topics.protocolRequests, topics.protocolReplies, topics.plans, topics.audit], topicPrefix: prefix });

const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json') };
/** Answers every request at once, a batch per send, on all partitions concurrently. */
async function startStub(): Promise<{ stop(): Promise<void> }> {
  const bus = await createTestBus(prefix, [topics.protocolRequests, topics.protocolReplies]);
  const consumer: BatchConsumer = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}stub`, logger: silentLogger, partitionsConsumedConcurrently: 6,
    subscriptions: [subscription(topics.protocolRequests, async (records) => {
      await bus.producer.send(topics.protocolReplies, records.map(({ value }) => ({
        key: value.replyTo,
        value: { correlationId: value.correlationId, replyTo: value.replyTo, status: 'ok' as const, resultJson: '{"goals":[]}', refusalCode: null, reasons: [], detailsJson: null, service: 'stub', cpuMicros: 0, repliedAtMs: Date.now() },
      })));
    })],
  });
  await consumer.start();
  return { stop: async () => { await consumer.stop(); await bus.close(); } };
}
const stub = useStub ? await startStub() : null;
const [planner, gateway]: [SpawnedService | null, SpawnedService] = await Promise.all([useStub ? null : spawnService('planner', env), spawnService('gateway', env)]);
try {
  const sign = (operation: string, payload: unknown) => JSON.stringify(signRequest(privateKey, {
    operation, caller: 'bench-client', tenant: 'bench', capability: `map.maestro.${operation}`, timestampMs: Date.now(), nonce: randomUUID(), payload,
  }));
  for (let c = 0; c < charterCount; c++) {
    const status = await post(`${gateway.url}/v1/protocol/maestro.charter.declare`, sign('charter.declare', {
      charterId: `ch-${c}`, tenant: 'bench', budget: { cost: 1_000, tokens: 1_000_000 }, deadlineMs: 3_600_000,
      executors: [{ id: 'worker-1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }], minTrust: 0.5,
    }));
    if (status !== '200') throw new Error(`charter.declare answered ${status}`);
  }
  const protocolCall = (i: number) => post(`${gateway.url}/v1/protocol/maestro.query.goals`, sign('query.goals', { charterId: `ch-${i % charterCount}`, limit: 20 }));
  await load(protocolCall, warmup, seconds);
  const protocol = await load(protocolCall, count, seconds);
  // The gateway's own share: the same call refused at authorise (another tenant), so parse,
  // validate, ed25519 verify, the Redis nonce and the audit produce run, but no dispatch.
  const refusedCall = () => post(`${gateway.url}/v1/protocol/maestro.query.goals`, JSON.stringify(signRequest(privateKey, {
    operation: 'query.goals', caller: 'bench-client', tenant: 'elsewhere', capability: 'map.maestro.query.goals', timestampMs: Date.now(), nonce: randomUUID(), payload: { charterId: 'ch-0', limit: 20 },
  })));
  await load(refusedCall, warmup, seconds, '403');
  const gatewayOnly = await load(refusedCall, count, seconds, '403');
  const fastify = await bareFastify();
  const rawKafka = await rawKafkaRequestReply(kafka);
  process.stdout.write(`${JSON.stringify({
    benchmark: 'protocol',
    machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) },
    settings: { concurrency, count, maxSeconds: seconds, charters: charterCount, warmupCalls: warmup },
    protocol: { path: `HTTP → gateway (8 stages) → Kafka → ${useStub ? 'stub responder' : 'planner'} → Kafka → gateway → HTTP`, operation: 'query.goals', ...protocol },
    gatewayWithoutDispatch: { path: 'HTTP → gateway stages 1–4 (ed25519 verify, Redis nonce) → refused at authorise → audit produced → HTTP', ...gatewayOnly },
    bareFastify: { path: 'HTTP → Fastify route → HTTP', ...fastify },
    rawKafkaRequestReply: { path: 'kafkajs producer → responder consumer → producer → requester consumer', ...rawKafka },
  }, null, 2)}\n`);
} finally {
  agent.destroy();
  await Promise.all([gateway.stop('SIGTERM'), planner?.stop('SIGTERM'), stub?.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
