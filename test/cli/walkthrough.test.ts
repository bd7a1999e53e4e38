/**
 * The README's first plan, through the CLI, run twice as a newcomer would: the second run redeclares
 * the charter, commits version 2 of the goal and reports the work order allocate answered (taken
 * with --get, never hard-coded). The first run's work order, reported again, is said to belong to
 * a replaced plan, not to have "never been issued".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCaller, call, parseCommand, type CliEnvironment } from '../../scripts/maestro-cli';
import { uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';

const prefix = uniquePrefix('walk');
const home = mkdtempSync(join(tmpdir(), 'maestro-walk-'));
const running: SpawnedService[] = [];
let gatewayUrl = '';

/**
 * The CLI's own argument parsing and call, in this process: a spawned CLI costs seconds of start-up
 * per call, and the argv → signed call → printed answer path is the same.
 */
async function maestro(...argv: string[]): Promise<{ status: number; stdout: string }> {
  let stdout = '';
  const env: CliEnvironment = { home, gatewayUrl, out: (text) => void (stdout += text) };
  const command = parseCommand(argv);
  if (command.kind === 'caller-add') {
    addCaller(env, command);
    return { status: 0, stdout };
  }
  if (command.kind !== 'call') throw new Error(`the walkthrough only adds callers and calls, not ${command.kind}`);
  const status = await call(env, command);
  return { status: status >= 200 && status < 300 ? 0 : 1, stdout };
}

const charter = '{"charterId":"ch-1","budget":{"cost":100,"tokens":100000},"deadlineMs":3600000,"minTrust":0.5,"executors":[{"id":"w1","speed":1,"costPerMs":0.001,"trust":0.9,"capabilities":["http"]}]}';
const goal = '{"charterId":"ch-1","goalId":"g-1","steps":[{"id":"fetch","name":"fetch","durationMs":2000,"cost":1,"requirements":{"capabilities":["http"],"minTrust":0.5}}],"dependencies":[]}';
const outcome = (workOrderId: string) => JSON.stringify({ charterId: 'ch-1', workOrderId, status: 'completed', actualDurationMs: 1800, actualCost: 1 });

/** One pass of the README walkthrough; returns the work order it reported. */
async function walkthrough(): Promise<{ version: string; workOrderId: string; planStatus: string }> {
  const declared = await maestro('call', 'charter.declare', '--as', 'agent-1', '--payload', charter);
  expect(declared.status, declared.stdout).toBe(0);
  const version = await maestro('call', 'plan', '--as', 'agent-1', '--payload', goal, '--get', 'result.version');
  expect(version.status, version.stdout).toBe(0);
  const workOrder = await maestro('call', 'allocate', '--as', 'agent-1', '--payload', '{"charterId":"ch-1","executorIds":["w1"]}', '--get', 'result.workOrders.0.workOrderId');
  expect(workOrder.status, workOrder.stdout).toBe(0);
  const workOrderId = workOrder.stdout.trim();
  const reported = await maestro('call', 'outcome.report', '--as', 'agent-1', '--payload', outcome(workOrderId), '--get', 'result.planStatus');
  expect(reported.status, reported.stdout).toBe(0);
  return { version: version.stdout.trim(), workOrderId, planStatus: reported.stdout.trim() };
}

beforeAll(async () => {
  expect((await maestro('caller', 'add', 'agent-1', '--tenant', 'acme')).status).toBe(0);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(home, 'trust.json') };
  running.push(...await Promise.all([spawnService('gateway', env), spawnService('planner', env), spawnService('dispatcher', env)]));
  gatewayUrl = running[0]!.url;
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGTERM')));
  rmSync(home, { recursive: true, force: true });
});

describe('the README walkthrough', () => {
  it('runs twice, each run reporting the work order its allocate answered', async () => {
    expect(await walkthrough()).toEqual({ version: '1', workOrderId: 'g-1.v1.fetch.1', planStatus: 'completed' });
    expect(await walkthrough()).toEqual({ version: '2', workOrderId: 'g-1.v2.fetch.1', planStatus: 'completed' });
  }, 90_000);

  it('says a work order of a replaced plan was replaced, and keeps "never issued" for one that was not', async () => {
    const stale = await maestro('call', 'outcome.report', '--as', 'agent-1', '--payload', outcome('g-1.v1.fetch.1'));
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain("work order 'g-1.v1.fetch.1' belongs to plan 'g-1.v1', which plan 'g-1.v2' of goal 'g-1' has replaced");
    expect(stale.stdout).not.toContain('never issued');
    const unknown = await maestro('call', 'outcome.report', '--as', 'agent-1', '--payload', outcome('g-1.v7.fetch.1'));
    expect(unknown.stdout).toContain("work order 'g-1.v7.fetch.1' was never issued under charter 'ch-1'");
  }, 60_000);
});
