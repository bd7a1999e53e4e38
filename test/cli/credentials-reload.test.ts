/**
 * `caller add` and `token add` while the gateway runs: the gateway follows its trust store and its
 * tokens file, so the new caller and the new token are admitted without a restart. Only the gateway
 * runs; the caller's call is refused at authorisation (it holds no capability for the operation),
 * which proves it passed authentication without needing the planner to answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, stackEnv, uniquePrefix } from '../support/environment';
import { kafkaEnvFor } from '../support/kafka-auth';
import { spawnService, type SpawnedService } from '../support/services';
import { runMaestro } from './cli-process';

const prefix = uniquePrefix('cli-reload');
const home = mkdtempSync(join(tmpdir(), 'maestro-cli-reload-'));
let gateway: SpawnedService;
let cliEnv: NodeJS.ProcessEnv;

const maestro = (...argv: string[]) => runMaestro(cliEnv, argv);

beforeAll(async () => {
  cliEnv = { ...process.env, ...stackEnv, MAESTRO_HOME: home, MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_TOKEN: '', ...(await kafkaEnvFor('maestro-cli', { ...process.env, MAESTRO_TOPIC_PREFIX: prefix })) };
  // The files exist before the gateway starts, as `npm start` makes sure they do.
  expect(maestro('caller', 'add', 'early', '--tenant', 'acme').status).toBe(0);
  expect(maestro('token', 'add', 'early', '--tenant', 'acme').status).toBe(0);
  gateway = await spawnService('gateway', {
    MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix,
    GATEWAY_TRUST_STORE: join(home, 'trust.json'), GATEWAY_TELEMETRY_TOKENS: join(home, 'tokens.json'),
  });
  cliEnv.MAESTRO_GATEWAY_URL = gateway.url;
}, 120_000);

afterAll(async () => {
  await gateway?.stop('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

describe('credentials added while the gateway runs', () => {
  it('admits a caller added by caller add without a restart, and logs the reload', async () => {
    const added = maestro('caller', 'add', 'late', '--tenant', 'acme', '--capability', 'map.maestro.query.nothing');
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toContain('admits the new caller within a second');
    const answer = await eventually(() => {
      const run = maestro('call', 'query.goals', '--as', 'late', '--payload', '{"charterId":"ch-none"}');
      return !run.stdout.includes('unknown_caller') && run;
    }, 15_000, 'the gateway to know the caller');
    expect(answer.status).toBe(1);
    expect(answer.stdout).toMatch(/403/);
    expect(answer.stdout).toContain('missing_capability');
    // The CLI runs synchronously, so the gateway's log is read once the test's event loop runs again.
    await eventually(() => gateway.output.some((line) => line.includes('credentials file reloaded') && line.includes('trust.json')), 5_000, 'the reload in the gateway\'s log');
  }, 60_000);

  it('accepts a token added by token add without a restart', async () => {
    const made = maestro('token', 'add', 'late-reader', '--tenant', 'acme');
    expect(made.status, made.stderr).toBe(0);
    const token = made.stdout.trim();
    const response = await eventually(async () => {
      const res = await fetch(`${gateway.url}/v1/assets`, { headers: { authorization: `Bearer ${token}` } });
      return res.status !== 401 && res;
    }, 15_000, 'the gateway to accept the token');
    expect(response.status).toBe(200);
  }, 60_000);
});
