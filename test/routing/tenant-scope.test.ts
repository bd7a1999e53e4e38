/**
 * Regression: the router's candidate pool was the whole registry, so a job of one tenant could be
 * placed on another tenant's asset, and every decision listed other tenants' assets as candidates
 * (as runner-up, fallbacks, rejections and counts). Against the real stack: two tenants' assets, the
 * other tenant's better on every number, and jobs from each tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from 'kafkajs';
import { FETCH_MAX_WAIT_MS } from '@maestro/bus';
import { topics, type AssetEvent, type AuditRecord, type JobRequest, type RoutingDecision, type TelemetrySample, type TopicSpec, type ValueOf } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('route-tenant');
let bus: TestBus;
let router: SpawnedService | undefined;
const collectors: Consumer[] = [];
const routed: RoutingDecision[] = [];
const audits: AuditRecord[] = [];

function asset(assetId: string, tenant: string | null, region: string, capabilities = ['cpu']): AssetEvent {
  return { assetId, change: 'added', kind: 'job_runner', name: assetId, provider: 'aws', region, capabilities, complianceTags: [], labels: {}, sources: ['static'], lastSeenMs: null, atMs: Date.now(), tenant };
}

// Globex's assets are faster and cheaper than Acme's, and one of them lacks the capability: a pool
// that mixed tenants would choose, rank and list them for Acme's jobs.
const fleet: AssetEvent[] = [
  asset('acme-eu', 'acme', 'eu-west-1'), asset('acme-us', 'acme', 'us-east-1'),
  asset('globex-eu', 'globex', 'eu-west-1'), asset('globex-us', 'globex', 'us-east-1'), asset('globex-nocap', 'globex', 'eu-west-1', []),
  asset('unowned', null, 'eu-west-1'),
];
const acmeIds = ['acme-eu', 'acme-us'];

function sample(assetId: string, latency: number, cost: number, atMs: number): TelemetrySample {
  return { assetId, timestampMs: atMs, ingestedAtMs: atMs, metrics: { latency_ms: latency, error_rate: 0.001, unit_cost: cost, saturation: 0.3 }, region: null, provider: null, labels: {}, tenant: null };
}

function job(jobId: string, tenant: string | null): JobRequest {
  return { jobId, jobClass: 'default', capabilities: ['cpu'], complianceTags: [], allowedRegions: [], costCeiling: 1, latencyObjectiveMs: 250, priority: 0, submittedAtMs: Date.now(), tenant };
}

async function collect<T extends TopicSpec>(spec: T, into: ValueOf<T>[]): Promise<void> {
  const consumer = bus.kafka.consumer({ groupId: `${prefix}test-collector-${spec.name}`, maxWaitTimeInMs: FETCH_MAX_WAIT_MS });
  collectors.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: bus.codecs.topicName(spec), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { into.push(await bus.codecs.decode(spec, message.value)); } });
}

/** Every asset id a published decision names. */
function namedIn(d: RoutingDecision): string[] {
  return [d.assetId, d.runnerUpAssetId, ...d.fallbacks, ...d.rejections.map((r) => r.assetId)].filter((id): id is string => id !== null);
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.assets, topics.telemetrySamples, topics.anomalies, topics.jobRequests, topics.jobsRouted, topics.audit]);
  await collect(topics.jobsRouted, routed);
  await collect(topics.audit, audits);
  await bus.producer.send(topics.assets, fleet.map((value) => ({ key: value.assetId, value })));
  const t0 = Date.now() - 30_000;
  const numbers: Record<string, [number, number]> = {
    'acme-eu': [90, 0.6], 'acme-us': [95, 0.7], 'globex-eu': [10, 0.1], 'globex-us': [12, 0.1], 'globex-nocap': [5, 0.05], unowned: [5, 0.05],
  };
  const samples: TelemetrySample[] = [];
  for (let i = 0; i < 3; i++) for (const [id, [latency, cost]] of Object.entries(numbers)) samples.push(sample(id, latency, cost, t0 + i * 10));
  await bus.producer.send(topics.telemetrySamples, samples.map((value) => ({ key: value.assetId, value })));
  router = await spawnService('router', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, MAESTRO_REPLICA_ID: 'tenant-scope', ROUTER_FALLBACK_COUNT: '3' });
});

afterAll(async () => {
  await router?.stop();
  await Promise.all(collectors.map((c) => c.disconnect()));
  await bus?.close();
});

describe('router tenant scope against the real stack', () => {
  it('decides a tenant\'s job among that tenant\'s assets only, in the record and in its audit', async () => {
    await bus.producer.send(topics.jobRequests, [job('acme-job-1', 'acme'), job('globex-job-1', 'globex'), job('nobody-job-1', 'initech')].map((value) => ({ key: value.jobId, value })));
    const decision = (jobId: string) => eventually(() => routed.find((d) => d.jobId === jobId), 30_000, `the decision for ${jobId}`);

    const acme = await decision('acme-job-1');
    expect(acme).toMatchObject({ outcome: 'routed', assetId: 'acme-eu', runnerUpAssetId: 'acme-us', candidateCount: 2, eligibleCount: 2, tenant: 'acme', rejections: [], rejectionsOmitted: 0 });
    expect(namedIn(acme).every((id) => acmeIds.includes(id))).toBe(true);
    expect(acme.reasoning).not.toMatch(/globex|unowned/);

    const globex = await decision('globex-job-1');
    expect(globex).toMatchObject({ outcome: 'routed', candidateCount: 3, eligibleCount: 2, tenant: 'globex' });
    expect(namedIn(globex).every((id) => id.startsWith('globex-'))).toBe(true);

    // A tenant with no asset is refused without a word about anyone else's.
    const nobody = await decision('nobody-job-1');
    expect(nobody).toMatchObject({ outcome: 'refused', refusalCause: 'no_candidates', candidateCount: 0, rejections: [], rejectionCounts: {}, tenant: 'initech' });

    const audit = await eventually(() => audits.find((a) => a.kind === 'routing.decision' && a.subjectId === 'acme-job-1'), 30_000, 'the audit of acme-job-1');
    expect(audit.detailsJson).not.toMatch(/globex|unowned/);
    expect(JSON.parse(audit.detailsJson)).toMatchObject({ assetId: 'acme-eu', candidateCount: 2 });
  });
});
