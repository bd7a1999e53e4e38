/**
 * Discovery against the real stack: two replicas, a static file and telemetry samples, and the
 * lifecycle they publish to the compacted `assets` topic. Windows are shortened (stale after 2 s,
 * removal grace 1.5 s, lease 3 s) so the whole story fits in well under a minute.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { topics, type AssetEvent, type TelemetrySample } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { deletePrefixed } from '../support/redis-keys';

const prefix = uniquePrefix('discovery');
const LEASE_TTL_MS = 3_000;
const running: SpawnedService[] = [];
let bus: TestBus;
let redis: Redis;
let dir: string;
let file: string;
let heartbeat: NodeJS.Timeout | undefined;
/** Assets the fake agents currently report for; a sample for each every 300 ms. */
const alive = new Set<string>();

interface FileEntry {
  assetId: string;
  name?: string;
  kind?: string;
  provider?: string;
  region?: string;
  capabilities?: string[];
  complianceTags?: string[];
  labels?: Record<string, string>;
}

const alpha: FileEntry = { assetId: 'svc-a', kind: 'service', name: 'Alpha', provider: 'AWS', region: 'eu-west-1', capabilities: ['gpu'], complianceTags: ['pci'], labels: { team: 'core' } };
const beta: FileEntry = { assetId: 'svc-b', name: 'Beta', provider: 'gcp', region: 'us-east1', labels: { team: 'data' } };

const agents: Record<string, Pick<TelemetrySample, 'provider' | 'region' | 'labels'>> = {
  'svc-a': { provider: 'aws', region: 'eu-west-1', labels: { team: 'agent', agent: 'v2' } },
  'svc-x': { provider: 'azure', region: 'westeurope', labels: { agent: 'v1' } },
};

/** Written whole and renamed into place, as a deployment tool would, so a poll never reads half a file. */
async function writeAssets(entries: FileEntry[]): Promise<void> {
  const next = `${file}.next`;
  await writeFile(next, JSON.stringify(entries));
  await rename(next, file);
}

async function sendSamples(): Promise<void> {
  const nowMs = Date.now();
  const records = [...alive].map((assetId) => ({
    key: assetId,
    value: { assetId, timestampMs: nowMs, ingestedAtMs: nowMs, metrics: { cpu_utilization: 0.4 }, tenant: null, ...agents[assetId]! },
  }));
  if (records.length > 0) await bus.producer.send(topics.telemetrySamples, records);
}

const assetEvents = (): Promise<AssetEvent[]> => bus.readValues(topics.assets);
const of = (events: AssetEvent[], assetId: string) => events.filter((e) => e.assetId === assetId);
const latest = (events: AssetEvent[], assetId: string) => of(events, assetId).at(-1);
const changes = (events: AssetEvent[], assetId: string) => of(events, assetId).map((e) => e.change);
const isLeader = (s: SpawnedService) => s.output.some((line) => line.includes('"msg":"leader lease acquired"'));

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetrySamples, topics.assets, topics.audit]);
  redis = new Redis(stackEnv.REDIS_URL);
  dir = await mkdtemp(join(tmpdir(), 'maestro-discovery-'));
  file = join(dir, 'assets.json');
  await writeAssets([alpha, beta]);
});

afterAll(async () => {
  clearInterval(heartbeat);
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  if (redis) await deletePrefixed(redis, prefix);
  redis?.disconnect();
  await bus?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('discovery with two replicas', () => {
  it('publishes the merged lifecycle once, from one leader, and survives the leader being killed', async () => {
    const env = (replica: string) => ({
      MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, MAESTRO_REPLICA_ID: replica,
      DISCOVERY_STATIC_FILE: file, DISCOVERY_POLL_INTERVAL_MS: '300', DISCOVERY_STALE_AFTER_MS: '2000',
      DISCOVERY_REMOVAL_GRACE_MS: '1500', DISCOVERY_TELEMETRY_RETENTION_MS: '60000', DISCOVERY_EVALUATE_INTERVAL_MS: '200',
      DISCOVERY_LEASE_TTL_MS: String(LEASE_TTL_MS),
    });
    const replicas = await Promise.all([spawnService('discovery', env('r1')), spawnService('discovery', env('r2'))]);
    running.push(...replicas);
    for (const replica of replicas) {
      const response = await fetch(`${replica.url}/readyz`);
      expect({ replica: replica.url, status: response.status }).toEqual({ replica: replica.url, status: 200 });
    }

    alive.add('svc-a').add('svc-x');
    heartbeat = setInterval(() => void sendSamples().catch(() => {}), 300);

    // added for all three; the file's attributes win over the agent's, labels are unioned.
    let events = await eventually(async () => {
      const all = await assetEvents();
      const merged = latest(all, 'svc-a');
      return ['svc-a', 'svc-b', 'svc-x'].every((id) => changes(all, id).includes('added')) && merged?.sources.length === 2 && all;
    }, 20_000, 'added records for svc-a, svc-b and svc-x, svc-a merged with its telemetry');
    expect(latest(events, 'svc-a')).toMatchObject({
      kind: 'service', name: 'Alpha', provider: 'aws', region: 'eu-west-1', capabilities: ['gpu'], complianceTags: ['pci'],
      labels: { team: 'core', agent: 'v2' }, sources: ['static', 'telemetry'],
    });
    expect(latest(events, 'svc-a')!.lastSeenMs).toEqual(expect.any(Number));
    expect(of(events, 'svc-b')[0]).toMatchObject({ change: 'added', name: 'Beta', provider: 'gcp', region: 'us-east1', labels: { team: 'data' }, sources: ['static'], lastSeenMs: null });
    expect(of(events, 'svc-x')[0]).toMatchObject({ change: 'added', kind: 'service', name: null, provider: 'azure', region: 'westeurope', labels: { agent: 'v1' }, sources: ['telemetry'] });

    // One leader; the standby publishes nothing.
    const leaders = replicas.filter(isLeader);
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    const standby = replicas.find((r) => r !== leader)!;
    expect(standby.output.some((line) => line.includes('asset change published'))).toBe(false);

    // The file changes an attribute: updated.
    await writeAssets([{ ...alpha, name: 'Alpha Prime' }, beta]);
    events = await eventually(async () => {
      const all = await assetEvents();
      return latest(all, 'svc-a')?.name === 'Alpha Prime' && all;
    }, 10_000, 'svc-a renamed by the file');
    expect(latest(events, 'svc-a')).toMatchObject({ change: 'updated', name: 'Alpha Prime', sources: ['static', 'telemetry'] });

    // svc-a's agent falls silent: stale; it comes back: updated.
    alive.delete('svc-a');
    events = await eventually(async () => {
      const all = await assetEvents();
      return latest(all, 'svc-a')?.change === 'stale' && all;
    }, 10_000, 'svc-a stale');
    expect(latest(events, 'svc-x')?.change).not.toBe('stale');
    alive.add('svc-a');
    events = await eventually(async () => {
      const all = await assetEvents();
      return changes(all, 'svc-a').at(-2) === 'stale' && latest(all, 'svc-a')?.change === 'updated' && all;
    }, 10_000, 'svc-a updated after its telemetry resumed');

    // The file drops svc-b, which has no telemetry: removed after the grace.
    await writeAssets([{ ...alpha, name: 'Alpha Prime' }]);
    events = await eventually(async () => {
      const all = await assetEvents();
      return latest(all, 'svc-b')?.change === 'removed' && all;
    }, 10_000, 'svc-b removed');
    expect(latest(events, 'svc-b')).toMatchObject({ change: 'removed', sources: [] });

    // Every change is explained by an audit record.
    const audits = (await bus.readValues(topics.audit)).filter((a) => a.service === 'discovery' && a.kind === 'discovery.change');
    for (const id of ['svc-a', 'svc-b', 'svc-x']) {
      expect(audits.filter((a) => a.subjectId === id).map((a) => a.outcome)).toEqual(changes(events, id));
    }
    expect(audits.find((a) => a.subjectId === 'svc-a' && a.outcome === 'stale')?.reasons[0]).toMatch(/^no telemetry since/);

    // The leader dies without a word: the standby takes over within the lease TTL (plus its own
    // renewal period, a third of the TTL) and keeps publishing from the saved state.
    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    await eventually(() => isLeader(standby), LEASE_TTL_MS * 3, 'the standby to take the lease');
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + LEASE_TTL_MS / 3 + 1_000);
    await writeAssets([{ ...alpha, name: 'Alpha Prime' }, { assetId: 'svc-c', name: 'Gamma' }]);
    events = await eventually(async () => {
      const all = await assetEvents();
      return latest(all, 'svc-c')?.change === 'added' && all;
    }, 10_000, 'svc-c added by the new leader');
    expect(standby.output.some((line) => line.includes('"msg":"registry loaded from Redis"'))).toBe(true);

    // Without a stored state (a lost Redis), a new replica rebuilds the registry from the topic: it
    // republishes nothing by itself and carries on from there. SIGTERM hands the lease over at once.
    const { code } = await standby.stop('SIGTERM');
    expect(code).toBe(0);
    expect(await redis.get(`${prefix}discovery:leader:{all}`)).toBeNull();
    expect(await redis.del(`${prefix}discovery:registry:{all}`)).toBe(1);
    const fresh = await spawnService('discovery', env('r3'));
    running.push(fresh);
    await eventually(() => fresh.output.some((line) => line.includes('"msg":"registry rebuilt from the assets topic"') && line.includes('"assets":3')), 10_000, 'the registry rebuilt from the topic');
    await writeAssets([{ ...alpha, name: 'Alpha Prime' }, { assetId: 'svc-c', name: 'Gamma 2' }]);
    events = await eventually(async () => {
      const all = await assetEvents();
      return latest(all, 'svc-c')?.name === 'Gamma 2' && all;
    }, 10_000, 'svc-c renamed after the rebuild');
    expect(latest(events, 'svc-c')?.change).toBe('updated');

    // Never a second added for one asset, before or after either takeover, and no flap to stale.
    for (const id of ['svc-a', 'svc-b', 'svc-x', 'svc-c']) expect(changes(events, id).filter((c) => c === 'added')).toHaveLength(1);
    expect(latest(events, 'svc-a')?.change).toBe('updated');
    expect(changes(events, 'svc-x')).not.toContain('stale');
  });
});
