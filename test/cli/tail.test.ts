/**
 * `npm run maestro` against the real stack: `tail` decodes what is on the topics through the
 * registry (an anomaly, a dead letter), follows until Ctrl-C, `assets` and `plan show` read the
 * compacted topics, and the CLI's mistakes and failures exit 2 and 1 with messages that say what
 * to do. Every run uses its own topic prefix, passed to the spawned CLI as the services get it.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type Anomaly, type AssetEvent, type PlanState } from '@maestro/contracts';
import { sendDeadLetters } from '@maestro/bus';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { kafkaEnvFor } from '../support/kafka-auth';
import { createTestBus, type TestBus } from '../support/test-bus';
import { root, runMaestro } from './cli-process';

const prefix = uniquePrefix('cli-tail');
let bus: TestBus;
let env: NodeJS.ProcessEnv;

function anomaly(assetId: string, detectedAtMs: number): Anomaly {
  return {
    anomalyId: `${assetId}:latency_ms:${detectedAtMs}`, assetId, metric: 'latency_ms', kind: 'spike', severity: 0.83, score: 0.97,
    value: 900, sampleTimestampMs: detectedAtMs, detectedAtMs, evidence: { zScore: 41.2 }, relatedKinds: [], tenant: 'acme',
  };
}

function maestro(...argv: string[]) {
  return runMaestro(env, argv);
}

const jsonLines = (stdout: string) => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { target: string; topic: string; offset: string; value: Record<string, unknown> });

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.anomalies, topics.assets, topics.plans]);
  env = {
    ...process.env, ...stackEnv, MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_GATEWAY_URL: 'http://127.0.0.1:9', MAESTRO_TOKEN: '',
    ...(await kafkaEnvFor('maestro-cli', { ...process.env, MAESTRO_TOPIC_PREFIX: prefix })),
  };
  const now = Date.now();
  await bus.producer.send(topics.anomalies, [{ key: 'checkout-eu-1', value: anomaly('checkout-eu-1', now - 2_000) }, { key: 'search-us-1', value: anomaly('search-us-1', now - 1_000) }]);
  await sendDeadLetters(bus.codecs, bus.producer, [{
    sourceTopic: bus.codecs.topicName(topics.anomalies), partition: 2,
    message: { key: Buffer.from('checkout-eu-1'), value: Buffer.from('not avro'), offset: '41', timestamp: String(now), attributes: 0, headers: {} },
    code: 'DECODE_FAILED', reason: 'maestro.detection.Anomaly: unknown magic byte', consumerGroup: `${prefix}healer`, nowMs: now,
  }]);
}, 120_000);

afterAll(async () => {
  await bus?.close();
});

describe('maestro tail', () => {
  it('prints the anomalies on the topic as JSON, one object per line, and only the asset asked for with --asset', () => {
    const all = maestro('tail', 'anomalies', '--json');
    expect(all.status, all.stderr).toBe(0);
    const records = jsonLines(all.stdout);
    expect(records.map((r) => r.value.assetId)).toEqual(['checkout-eu-1', 'search-us-1']);
    expect(records[0]).toMatchObject({ target: 'anomalies', topic: `${prefix}anomalies`, value: { kind: 'spike', severity: 0.83, evidence: { zScore: 41.2 }, tenant: 'acme' } });

    const one = maestro('tail', 'anomalies', '--asset', 'search-us-1');
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout.trim().split('\n')).toHaveLength(1);
    expect(one.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}search-us-1 {2}spike severity 0\.83 {2}latency_ms=900 score 0\.97 zScore=41\.2\n$/);
  });

  it('shows a dead letter with its source topic, offset, code and reason', () => {
    const text = maestro('tail', 'dlq');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`checkout-eu-1  DECODE_FAILED ${prefix}anomalies[2]@41  maestro.detection.Anomaly: unknown magic byte (group ${prefix}healer)`);
    const [letter] = jsonLines(maestro('tail', 'dlq', '--json').stdout);
    expect(letter).toMatchObject({ topic: `${prefix}anomalies.dlq`, value: { errorCode: 'DECODE_FAILED', sourceOffset: '41', key: 'checkout-eu-1', value: 'not avro' } });
  });

  it('starts at --since: records older than the window are not shown', () => {
    const recent = maestro('tail', 'anomalies', '--since', '500ms', '--json');
    expect(recent.status, recent.stderr).toBe(0);
    expect(jsonLines(recent.stdout)).toEqual([]);
  });

  it('with --follow prints a record produced after it started, and ends with status 0 on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/maestro-cli.ts', 'tail', 'anomalies', '--follow', '--since', '1s', '--asset', 'late-asset'], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Produced until seen: the follower joins its group some time after it starts.
    await eventually(async () => {
      await bus.producer.send(topics.anomalies, [{ key: 'late-asset', value: anomaly('late-asset', Date.now()) }]);
      await new Promise((r) => setTimeout(r, 500));
      return stdout.includes('late-asset  spike');
    }, 45_000, `the follower to print late-asset (stderr: ${stderr})`);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).not.toContain('checkout-eu-1');
  }, 60_000);

  it('names the missing topic and the prefix when nothing has created it', () => {
    const missing = maestro('tail', 'audit');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`topic ${prefix}audit does not exist`);
    expect(missing.stderr).toContain('npm start');
  });
});

describe('maestro assets and plan show', () => {
  it('lists the assets of the compacted topic without a token, latest state first-hand', async () => {
    const asset = (change: AssetEvent['change'], atMs: number): AssetEvent => ({
      assetId: 'db-eu-1', change, kind: 'database', name: null, provider: 'aws', region: 'eu-west-1', capabilities: [], complianceTags: [],
      labels: { team: 'core' }, sources: ['telemetry'], lastSeenMs: atMs, atMs, tenant: 'acme',
    });
    await bus.producer.send(topics.assets, [{ key: 'db-eu-1', value: asset('added', 1_000) }, { key: 'db-eu-1', value: asset('stale', 2_000) }]);
    const listed = maestro('assets');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toBe('db-eu-1  stale  eu-west-1  aws  database  acme  team=core  seen 1970-01-01T00:00:02.000Z\n');
  });

  it('draws the latest version of a goal as a Gantt chart from the plans topic', async () => {
    const version = (n: number, steps: [string, number, number][]): PlanState => ({
      key: `ch-1/g-1/v${n}`, kind: 'goal_version', charterId: 'ch-1', goalId: 'g-1', version: n, tenant: 'acme', revision: 1, status: 'refined', updatedAtMs: n,
      stateJson: JSON.stringify({
        goal: { steps: steps.map(([id]) => ({ id, name: id })) },
        plan: { assignments: steps.map(([id, startMs, finishMs]) => ({ stepId: id, executorId: 'w1', startMs, finishMs, cost: 1 })), makespanMs: 60_000, totalCost: steps.length, analysis: { criticalPath: ['fetch', 'train'] } },
      }),
    });
    await bus.producer.send(topics.plans, [
      { key: 'ch-1/g-1/v1', value: version(1, [['old', 0, 1_000]]) },
      { key: 'ch-1/g-1/v2', value: version(2, [['fetch', 0, 20_000], ['lint', 0, 10_000], ['train', 20_000, 60_000]]) },
    ]);
    const shown = maestro('plan', 'show', 'ch-1', 'g-1');
    expect(shown.status, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines[0]).toBe('charter ch-1 goal g-1 v2 (refined): 3 steps, makespan 1m 00s, cost 3');
    expect(lines[1]).toMatch(/^fetch \|#{20} {40}\| 0ms → 20s {2}w1$/);
    expect(lines[2]).toMatch(/^lint {2}\|={10} {50}\| 0ms → 10s {2}w1$/);
    expect(lines[3]).toMatch(/^train \| {20}#{40}\| 20s → 1m 00s {2}w1$/);

    const missing = maestro('plan', 'show', 'ch-1', 'g-404');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no plan for goal 'g-404' of charter 'ch-1'");
  });
});

describe('maestro mistakes and failures', () => {
  it('exits 2 with the usage for an unknown command, an unknown option and a missing payload file, naming it', () => {
    const unknown = maestro('deploy');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'deploy'");
    const option = maestro('tail', 'anomalies', '--colour', 'red');
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/unknown option --colour\n\nusage: npm run maestro -- tail/);
    const file = maestro('call', 'query.goals', '--as', 'nobody', '--payload', '@/nonexistent/goal.json');
    expect(file.status).toBe(2);
    expect(file.stderr).toContain("the payload file '/nonexistent/goal.json' does not exist");
  });

  it('prints each command\'s help with an example and exits 0', () => {
    for (const argv of [['--help'], ['tail', '--help'], ['job', 'submit', '-h'], ['help', 'plan', 'show']]) {
      const help = maestro(...argv);
      expect(help.status, argv.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/^usage: npm run maestro -- /);
    }
    expect(maestro('assets', '-h').stdout).toContain('example:\n  MAESTRO_TOKEN=$TOKEN npm run maestro -- assets');
  });

  it('names the broker or the registry that does not answer and how to start it, and exits 1', () => {
    const noBroker = runMaestro({ ...env, KAFKA_BROKERS: '127.0.0.1:9' }, ['tail', 'anomalies']);
    expect(noBroker.status).toBe(1);
    expect(noBroker.stderr).toContain('the Kafka broker at 127.0.0.1:9 is not reachable');
    expect(noBroker.stderr).toContain('`npm start`');
    const noRegistry = runMaestro({ ...env, SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7' }, ['tail', 'anomalies']);
    expect(noRegistry.status).toBe(1);
    expect(noRegistry.stderr).toContain('the schema registry at http://127.0.0.1:9/apis/ccompat/v7 is not reachable');
  }, 60_000);

  it('names the gateway URL and npm start when the gateway does not answer, and exits 1', () => {
    for (const argv of [['assets', '--token', 't'], ['job', 'submit', '--token', 't', '--class', 'batch']]) {
      const down = maestro(...argv);
      expect(down.status, argv.join(' ')).toBe(1);
      expect(down.stderr).toContain('the gateway at http://127.0.0.1:9 is not reachable');
      expect(down.stderr).toContain('`npm start`');
    }
  });
});
