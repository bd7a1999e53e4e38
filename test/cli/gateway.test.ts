/**
 * The CLI through a real gateway: a token made with `token add` lets `assets` list the read API's
 * assets and `job submit` place a job through `POST /v1/jobs`, printing the router's decision with
 * the chosen asset and every rejected candidate with its reason. The assets and their samples are
 * produced as discovery and ingest would, so only the gateway, projector and router run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AssetEvent, type TelemetrySample } from '@maestro/contracts';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { kafkaEnvFor } from '../support/kafka-auth';
import { spawnService, type SpawnedService } from '../support/services';
import { createTestBus, type TestBus } from '../support/test-bus';
import { runMaestro } from './cli-process';

const prefix = uniquePrefix('cli-gw');
const home = mkdtempSync(join(tmpdir(), 'maestro-cli-gw-'));
const running: SpawnedService[] = [];
let bus: TestBus;
let cliEnv: NodeJS.ProcessEnv;
let token = '';

function maestro(...argv: string[]) {
  return runMaestro(cliEnv, argv);
}

function asset(assetId: string, region: string): AssetEvent {
  return {
    assetId, change: 'added', kind: 'service', name: null, provider: 'aws', region, capabilities: ['gpu'], complianceTags: [],
    labels: { team: 'ml' }, sources: ['inventory'], lastSeenMs: Date.now(), atMs: Date.now(), tenant: 'acme',
  };
}

function sample(assetId: string, region: string, timestampMs: number): TelemetrySample {
  return {
    assetId, timestampMs, ingestedAtMs: timestampMs, region, provider: 'aws', labels: {}, tenant: 'acme',
    metrics: { latency_ms: 40, error_rate: 0.001, unit_cost: 0.2, saturation: 0.4 },
  };
}

beforeAll(async () => {
  cliEnv = { ...process.env, ...stackEnv, MAESTRO_HOME: home, MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_TOKEN: '', ...(await kafkaEnvFor('maestro-cli', { ...process.env, MAESTRO_TOPIC_PREFIX: prefix })) };
  const made = maestro('token', 'add', 'cli-reader', '--tenant', 'acme');
  expect(made.status, made.stderr).toBe(0);
  token = made.stdout.trim();

  bus = await createTestBus(prefix, [topics.assets, topics.telemetrySamples]);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TELEMETRY_TOKENS: join(home, 'tokens.json') };
  running.push(...await Promise.all([spawnService('gateway', env), spawnService('projector', env), spawnService('router', env)]));
  cliEnv.MAESTRO_GATEWAY_URL = running[0]!.url;

  await bus.producer.send(topics.assets, [{ key: 'gpu-eu-1', value: asset('gpu-eu-1', 'eu-west-1') }, { key: 'gpu-us-1', value: asset('gpu-us-1', 'us-east-1') }]);
  const now = Date.now();
  await bus.producer.send(topics.telemetrySamples, [0, 1, 2].flatMap((i) => [
    { key: 'gpu-eu-1', value: sample('gpu-eu-1', 'eu-west-1', now - 3_000 + i * 1_000) },
    { key: 'gpu-us-1', value: sample('gpu-us-1', 'us-east-1', now - 3_000 + i * 1_000) },
  ]));
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  await bus?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('maestro through the gateway', () => {
  it('lists the assets of the read API with a token made by token add', async () => {
    const listed = await eventually(() => {
      const run = maestro('assets', '--token', token);
      return run.stdout.split('\n').filter(Boolean).length === 2 && run;
    }, 60_000, 'both assets in GET /v1/assets');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^gpu-eu-1 {2}added {2}eu-west-1 {2}aws {2}service {2}acme {2}team=ml {2}seen \S+\ngpu-us-1 {2}added {2}us-east-1 /);
  }, 90_000);

  it('submits a job and prints the decision: the chosen asset, its score by term and the rejected candidate with its reason', async () => {
    const decided = await eventually(() => {
      const run = maestro('job', 'submit', '--token', token, '--class', 'batch', '--region', 'eu-west-1', '--capability', 'gpu');
      // Until the router has folded the assets and samples in, it refuses: try again.
      return run.status === 0 && run;
    }, 60_000, 'a routed job');
    const lines = decided.stdout.split('\n');
    expect(lines[0]).toMatch(/^job \S+ \(batch\): routed → gpu-eu-1 score \d/);
    expect(decided.stdout).toContain('  gpu-eu-1 score by term:');
    expect(decided.stdout).toMatch(/ {2}rejected:\n {4}gpu-us-1 {2}.*region/);

    // The same decision on jobs.routed, found by the asset it rejected.
    const jobId = /^job (\S+) /.exec(lines[0]!)![1]!;
    const tailed = maestro('tail', 'decisions', '--asset', 'gpu-us-1');
    expect(tailed.status, tailed.stderr).toBe(0);
    expect(tailed.stdout).toMatch(new RegExp(`gpu-eu-1 {2}routed job ${jobId} \\(batch\\) → gpu-eu-1 score [\\d.]+ {2}.*rejected gpu-us-1: .*region`));
  }, 90_000);

  it('exits 1 and says why when the job is refused, and 2 without a token', () => {
    const refused = maestro('job', 'submit', '--token', token, '--capability', 'quantum');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^job \S+ \(default\): refused\n/);
    expect(refused.stdout).toMatch(/gpu-eu-1 {2}.*quantum/);
    const anonymous = maestro('job', 'submit');
    expect(anonymous.status).toBe(2);
    expect(anonymous.stderr).toContain('job submit needs a read API token');
  });
});
