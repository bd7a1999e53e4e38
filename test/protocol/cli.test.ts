/**
 * The command-line client against a real gateway and planner: a caller made with `caller add` is
 * admitted by a gateway started on that trust store, and `call` signs, sends and reports the answer
 * with an exit status a script can test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';

const root = resolve(import.meta.dirname, '../..');
const prefix = uniquePrefix('cli');
const home = mkdtempSync(join(tmpdir(), 'maestro-cli-home-'));
let gateway: SpawnedService;
let planner: SpawnedService;

function maestro(...argv: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/maestro-cli.ts', ...argv], {
    cwd: root, encoding: 'utf8', env: { ...process.env, MAESTRO_HOME: home, MAESTRO_GATEWAY_URL: gateway?.url ?? 'http://127.0.0.1:1' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  expect(maestro('caller', 'add', 'agent-cli', '--tenant', 'acme').status).toBe(0);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(home, 'trust.json') };
  [gateway, planner] = await Promise.all([spawnService('gateway', env), spawnService('planner', env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), planner?.stop()]);
  rmSync(home, { recursive: true, force: true });
});

describe('npm run maestro', () => {
  it('declares a charter and refines a goal as the caller it created, from an inline payload and a file', () => {
    const declared = maestro('call', 'charter.declare', '--as', 'agent-cli', '--payload', JSON.stringify({
      charterId: 'ch-cli', tenant: 'acme', budget: { cost: 100, tokens: 1_000 }, deadlineMs: 600_000, minTrust: 0.5,
      executors: [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }],
    }));
    expect(declared.status, declared.stderr).toBe(0);
    expect(declared.stdout).toMatch(/^HTTP 200\n/);
    expect(JSON.parse(declared.stdout.slice('HTTP 200\n'.length))).toMatchObject({ result: { charterId: 'ch-cli', tenant: 'acme' }, audit: expect.any(String) });

    const file = join(home, 'goal.json');
    writeFileSync(file, JSON.stringify({
      charterId: 'ch-cli', goalId: 'g1', expectedVersion: 0,
      steps: [{ id: 'a', name: 'a', durationMs: 1_000, cost: 1, requirements: { capabilities: ['http'], minTrust: 0.5 } }], dependencies: [],
    }));
    const refined = maestro('call', 'maestro.goal.refine', '--as', 'agent-cli', '--payload-file', file);
    expect(refined.status, refined.stderr).toBe(0);
    expect(JSON.parse(refined.stdout.slice('HTTP 200\n'.length))).toMatchObject({ result: { goalId: 'g1', version: 1 } });
  });

  it('exits 1 with the refusal for a call the gateway refuses, and 2 for a caller it does not have', () => {
    const refused = maestro('call', 'query.goals', '--as', 'agent-cli', '--payload', '{"charterId": 7}');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^HTTP 400\n/);
    expect(JSON.parse(refused.stdout.slice('HTTP 400\n'.length))).toMatchObject({ refused: { stage: 'validate', code: 'schema_violation' } });

    const unknown = maestro('call', 'query.goals', '--as', 'nobody', '--payload', '{"charterId": "ch-cli"}');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("no caller 'nobody'");
  });
});
