import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from 'kafkajs';
import { FETCH_MAX_WAIT_MS } from '@maestro/bus';
import { topics, type Anomaly, type AssetEvent, type AuditRecord, type JobRequest, type RoutingDecision, type TelemetrySample, type TopicSpec, type ValueOf } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('route');
let bus: TestBus;
let replicaA: SpawnedService | undefined;
let replicaB: SpawnedService | undefined;
const collectors: Consumer[] = [];
const routed: RoutingDecision[] = [];
const audits: AuditRecord[] = [];

const env = (replicaId: string) => ({
  MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, MAESTRO_REPLICA_ID: replicaId,
  // A short window, so a handful of samples moves an asset's p95 both ways.
  ROUTER_WINDOW_SAMPLES: '5', ROUTER_ANOMALY_TTL_MS: '600000', ROUTER_FALLBACK_COUNT: '2',
  ROUTER_WEIGHTS: JSON.stringify({ default: { cost: 0.3, latency: 0.3, reliability: 0.25, saturation: 0.15 }, batch: { cost: 0.7 } }),
});

// Two regions on two providers; eu is a little cheaper and faster, so it wins while healthy.
// gpu-eu lacks the gdpr tag, so the gdpr probes never consider it.
const fleet: AssetEvent[] = [
  asset('eu-1', 'aws', 'eu-west-1', ['cpu'], ['gdpr']),
  asset('eu-2', 'aws', 'eu-west-1', ['cpu'], ['gdpr']),
  asset('us-1', 'gcp', 'us-east-1', ['cpu'], ['gdpr']),
  asset('us-2', 'gcp', 'us-east-1', ['cpu'], ['gdpr']),
  asset('gpu-eu', 'aws', 'eu-west-1', ['cpu', 'gpu'], []),
];
const healthy: Record<string, { latency: number; errors: number; cost: number }> = {
  'eu-1': { latency: 40, errors: 0.001, cost: 0.4 },
  'eu-2': { latency: 45, errors: 0.001, cost: 0.4 },
  'us-1': { latency: 60, errors: 0.002, cost: 0.5 },
  'us-2': { latency: 65, errors: 0.002, cost: 0.5 },
  'gpu-eu': { latency: 40, errors: 0.001, cost: 0.45 },
};

function asset(assetId: string, provider: string, region: string, capabilities: string[], complianceTags: string[]): AssetEvent {
  return { assetId, change: 'added', kind: 'job_runner', name: assetId, provider, region, capabilities, complianceTags, labels: {}, sources: ['static'], lastSeenMs: null, atMs: Date.now(), tenant: null };
}

let clock = Date.now() - 60_000;
function sample(assetId: string, latency: number, errors: number, cost: number): TelemetrySample {
  clock += 10;
  const a = fleet.find((f) => f.assetId === assetId)!;
  return { assetId, timestampMs: clock, ingestedAtMs: clock, metrics: { latency_ms: latency, error_rate: errors, unit_cost: cost, saturation: 0.3 }, region: a.region, provider: a.provider, labels: {}, tenant: null };
}

async function sendSamples(samples: TelemetrySample[]): Promise<void> {
  await bus.producer.send(topics.telemetrySamples, samples.map((value) => ({ key: value.assetId, value })));
}

/** `count` healthy samples for each asset of `ids`. */
async function sendHealthy(ids: readonly string[], count: number): Promise<void> {
  const out: TelemetrySample[] = [];
  for (let i = 0; i < count; i++) for (const id of ids) out.push(sample(id, healthy[id]!.latency, healthy[id]!.errors, healthy[id]!.cost));
  await sendSamples(out);
}

let jobSeq = 0;
function job(over: Partial<JobRequest> = {}): JobRequest {
  return {
    jobId: `job-${++jobSeq}`, jobClass: 'default', capabilities: ['cpu'], complianceTags: ['gdpr'], allowedRegions: [],
    costCeiling: 1, latencyObjectiveMs: 250, priority: 0, submittedAtMs: Date.now(), tenant: null, ...over,
  };
}

async function submit(jobs: JobRequest[]): Promise<void> {
  await bus.producer.send(topics.jobRequests, jobs.map((value) => ({ key: value.jobId, value })));
}

/** The `nth` decision published for a job (1 = first), waiting for it. */
async function decisionOf(jobId: string, nth = 1, timeoutMs = 20_000): Promise<RoutingDecision> {
  return eventually(() => routed.filter((d) => d.jobId === jobId)[nth - 1], timeoutMs, `decision #${nth} for ${jobId}`);
}

async function route(over: Partial<JobRequest> = {}): Promise<RoutingDecision> {
  const j = job(over);
  await submit([j]);
  return decisionOf(j.jobId);
}

const regionOf = (d: RoutingDecision) => fleet.find((a) => a.assetId === d.assetId)?.region;

/** A live reader of a topic into an array: polling it is cheap, unlike re-reading the topic per check. */
async function collect<T extends TopicSpec>(spec: T, into: ValueOf<T>[]): Promise<void> {
  const consumer = bus.kafka.consumer({ groupId: `${prefix}test-collector-${spec.name}`, maxWaitTimeInMs: FETCH_MAX_WAIT_MS });
  collectors.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: bus.codecs.topicName(spec), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { into.push(await bus.codecs.decode(spec, message.value)); } });
}

async function readyz(service: SpawnedService): Promise<boolean> {
  const response = await fetch(`${service.url}/readyz`);
  return response.ok;
}

/** Whether a group's committed offsets reached the current end of each topic: it has read everything. */
async function groupCaughtUp(groupId: string, specs: readonly TopicSpec[]): Promise<boolean> {
  const admin = bus.kafka.admin();
  await admin.connect();
  try {
    for (const spec of specs) {
      const topic = bus.codecs.topicName(spec);
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const end of ends) {
        if (end.high === end.low) continue;
        const at = committed?.partitions.find((p) => p.partition === end.partition);
        if (!at || BigInt(at.offset) < BigInt(end.high)) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.assets, topics.telemetrySamples, topics.anomalies, topics.jobRequests, topics.jobsRouted, topics.audit]);
  await collect(topics.jobsRouted, routed);
  await collect(topics.audit, audits);
  await bus.producer.send(topics.assets, fleet.map((value) => ({ key: value.assetId, value })));
  await sendHealthy(Object.keys(healthy), 5);
  replicaA = await spawnService('router', env('replica-a'));
  // Ready means the replica read the registry and telemetry published before it started.
  await eventually(() => readyz(replicaA!), 20_000, 'replica A to be ready');
});

afterAll(async () => {
  await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  await Promise.all(collectors.map((c) => c.disconnect()));
  await bus?.close();
});

describe('router against the real stack', () => {
  it('routes to the healthy cheaper region, with the score breakdown, runner-up, fallbacks and an audit record', async () => {
    const d = await route();
    expect(d).toMatchObject({ outcome: 'routed', assetId: 'eu-1', runnerUpAssetId: 'eu-2', candidateCount: 5, eligibleCount: 4, jobClass: 'default' });
    expect(d.margin).toBeGreaterThan(0);
    expect(Object.values(d.breakdown).reduce((a, b) => a + b, 0)).toBeCloseTo(d.score!, 12);
    // Fallbacks come from the other failure domain first.
    expect(d.fallbacks[0]).toMatch(/^us-/);
    expect(d.rejections).toEqual([{ assetId: 'gpu-eu', reasons: ['compliance_tag_absent: compliance tag gdpr absent'] }]);
    expect(d.rejectionCounts).toEqual({ compliance_tag_absent: 1 });
    const audit = await eventually(() => audits.find((a) => a.subjectId === d.jobId), 10_000, 'the audit record');
    expect(audit).toMatchObject({ service: 'router', kind: 'routing.decision', outcome: 'routed' });
    expect(audit.reasons[0]).toMatch(/routed to eu-1/);
  });

  it('moves routing away from a region that degrades over time, and back after it recovers', async () => {
    const seen = [regionOf(await route())!];
    // Six rounds of slowly rising latency and error rate in eu (eu-1 falls behind us-1 after two or
    // three); one probe job after each round.
    for (let round = 1; round <= 6; round++) {
      const worse = ['eu-1', 'eu-2'].flatMap((id) => Array.from({ length: 2 }, () => sample(id, healthy[id]!.latency + 20 * round, 0.001 + 0.003 * round, 0.4)));
      await sendSamples(worse);
      seen.push(regionOf(await route())!);
    }
    // The view may lag a round behind the samples (another consumer), so wait for the move itself.
    const moved = await eventually(async () => { const d = await route(); return d.assetId?.startsWith('us-') && d; }, 20_000, 'routing to move to us-east-1');
    seen.push(regionOf(moved)!);
    expect(seen[0]).toBe('eu-west-1');
    // Once it moved it stays: eu only got worse. (Which round moves it depends on how far the view
    // had read when each probe was routed; the order does not.)
    expect(seen.slice(seen.indexOf('us-east-1')).every((r) => r === 'us-east-1')).toBe(true);
    expect(moved.fallbacks.some((f) => f.startsWith('eu-'))).toBe(true);

    await sendHealthy(['eu-1', 'eu-2'], 5);
    // Both eu assets recovered (their samples may sit on different partitions, read at different times).
    const back = await eventually(async () => { const d = await route(); return d.assetId === 'eu-1' && d.runnerUpAssetId === 'eu-2' && d; }, 20_000, 'routing to return to eu-1, eu-2 next');
    expect(back.fallbacks[0]).toMatch(/^us-/);
  });

  it('avoids an asset under an active anomaly, saying why', async () => {
    const anomaly: Anomaly = {
      anomalyId: 'eu-1:latency_ms:1', assetId: 'eu-1', metric: 'latency_ms', kind: 'spike', relatedKinds: [], severity: 0.9, score: 0.95, value: 900,
      sampleTimestampMs: clock, detectedAtMs: Date.now(), evidence: { zScore: 12 }, tenant: null,
    };
    await bus.producer.send(topics.anomalies, [{ key: 'eu-1', value: anomaly }]);
    const d = await eventually(async () => { const x = await route(); return x.assetId !== 'eu-1' && x; }, 20_000, 'eu-1 to be avoided');
    expect(d.assetId).toBe('eu-2');
    const rejection = d.rejections.find((r) => r.assetId === 'eu-1');
    expect(rejection?.reasons).toEqual(['anomaly_active: active anomaly with severity 0.9 above bound 0.5']);
    expect(d.rejectionCounts.anomaly_active).toBe(1);
  });

  it('refuses a job no candidate can take, listing each candidate\'s reasons', async () => {
    const d = await route({ allowedRegions: ['ap-south-1'], costCeiling: 0.42, capabilities: ['cpu', 'gpu'] });
    expect(d).toMatchObject({ outcome: 'refused', assetId: null, refusalCause: 'no_eligible_candidate', candidateCount: 5, eligibleCount: 0, rejectionsOmitted: 0 });
    const reasons = Object.fromEntries(d.rejections.map((r) => [r.assetId, r.reasons.map((x) => x.split(':')[0])]));
    expect(reasons).toEqual({
      'eu-1': ['missing_capability', 'region_not_allowed', 'anomaly_active'],
      'eu-2': ['missing_capability', 'region_not_allowed'],
      'gpu-eu': ['compliance_tag_absent', 'region_not_allowed', 'cost_above_ceiling'],
      'us-1': ['missing_capability', 'region_not_allowed', 'cost_above_ceiling'],
      'us-2': ['missing_capability', 'region_not_allowed', 'cost_above_ceiling'],
    });
    expect(d.reasoning).toMatch(/refused: all 5 candidates rejected/);
    const audit = await eventually(() => audits.find((a) => a.subjectId === d.jobId), 10_000, 'the refusal audit record');
    expect(audit).toMatchObject({ kind: 'routing.decision', outcome: 'refused' });
    expect(JSON.parse(audit.detailsJson)).toMatchObject({ cause: 'no_eligible_candidate', candidateCount: 5 });
  });

  it('gives identical decisions from two replicas that read the same inputs', async () => {
    const viewTopics = [topics.assets, topics.telemetrySamples, topics.anomalies];
    // Replica A has read every input: its view group's committed offsets are at the topics' ends.
    await eventually(() => groupCaughtUp(`${prefix}router.replica-a`, viewTopics), 20_000, 'replica A to read every input');
    const jobs = [
      job(), job({ jobClass: 'batch' }), job({ complianceTags: [], capabilities: ['gpu'] }), job({ allowedRegions: ['us-east-1'], priority: 2 }),
      job({ latencyObjectiveMs: 20, jobClass: 'batch' }), job({ costCeiling: 0.1 }), job({ complianceTags: [], latencyObjectiveMs: null, costCeiling: null }),
    ];
    await submit(jobs);
    const fromA = await Promise.all(jobs.map((j) => decisionOf(j.jobId, 1)));
    await replicaA!.stop();

    replicaB = await spawnService('router', env('replica-b'));
    await eventually(() => readyz(replicaB!), 20_000, 'replica B to be ready');
    await submit(jobs);
    const fromB = await Promise.all(jobs.map((j) => decisionOf(j.jobId, 2)));

    const comparable = (d: RoutingDecision) => ({ ...d, decidedAtMs: 0 });
    expect(fromB.map(comparable)).toEqual(fromA.map(comparable));
    // The set is varied: routed on both regions and refused.
    expect(new Set(fromA.map((d) => d.outcome))).toEqual(new Set(['routed', 'refused']));
    expect(new Set(fromA.map(regionOf).filter(Boolean))).toEqual(new Set(['eu-west-1', 'us-east-1']));
  });

  // A regression: assets that report two of the four metrics the router scores (the README's
  // example agents send latency and CPU) were all refused "performance_invalid".
  it('routes on partial telemetry, naming the unknown criteria, and says which number a rejected asset got wrong', async () => {
    const edge = [asset('edge-1', 'aws', 'eu-west-1', ['edge'], []), asset('edge-2', 'gcp', 'us-east-1', ['edge'], [])];
    fleet.push(...edge);
    await bus.producer.send(topics.assets, edge.map((value) => ({ key: value.assetId, value })));
    const agent = (assetId: string, latency: number, cpu: number): TelemetrySample => {
      const s = sample(assetId, latency, 0, 0);
      return { ...s, metrics: { latency_ms: latency, cpu } };
    };
    // edge-2's CPU reading is out of range: a wrong number is not an unknown one.
    await sendSamples(Array.from({ length: 5 }, () => [agent('edge-1', 80, 0.4), agent('edge-2', 70, 1.7)]).flat());
    const d = await eventually(async () => {
      const decision = await route({ capabilities: ['edge'], complianceTags: [] });
      return decision.outcome === 'routed' && /saturation/.test(decision.rejections[0]?.reasons.join() ?? '') && decision;
    }, 60_000, 'a routed decision once the edge assets\' telemetry is read');
    expect(d.assetId).toBe('edge-1');
    expect(d.reasoning).toContain('(not reported, scored as unknown: cost, reliability)');
    // Unknown cost and reliability score 0.25 each (ROUTER_MISSING_METRIC_SCORE's default).
    expect(d.breakdown.cost).toBeCloseTo(0.3 * 0.25, 9);
    expect(d.breakdown.reliability).toBeCloseTo(0.25 * 0.25, 9);
    expect(d.rejections.filter((r) => r.assetId.startsWith('edge-'))).toEqual([{
      assetId: 'edge-2', reasons: ['performance_invalid: performance numbers cannot be scored: saturation 1.7 out of range (expected in [0, 1])'],
    }]);
  });
});
