/**
 * `assets`, `job submit` and `plan show`: what the read model knows, through the gateway's read API
 * when the caller has a token, else (assets, plans) straight from the compacted topics.
 */
import { randomUUID } from 'node:crypto';
import { topics, type AssetEvent, type PlanState, type RoutingDecision, type TopicSpec, type ValueOf } from '@maestro/contracts';
import { readTopicToEnd } from '@maestro/bus';
import { UsageError } from './arguments';
import { formatAsset, latestAssets } from './asset-format';
import type { BusConnection } from './bus-connection';
import type { Command } from './commands';
import { formatDuration, renderGantt } from './gantt';
import { gatewayRequest, refusalText } from './gateway-client';
import { goalPlan } from './plan-view';
import { formatRoutingDecision } from './routing-format';

type Print = (line: string) => void;

/** A whole compacted topic, decoded, with each record's key (tombstones as null). */
async function readCompacted<T extends TopicSpec>(bus: BusConnection, spec: T): Promise<{ keys: (string | null)[]; values: (ValueOf<T> | null)[] }> {
  const codecs = await bus.codecs([spec]);
  const records = await readTopicToEnd(bus.kafka, codecs.topicName(spec), { groupId: `${bus.topicPrefix}maestro-cli-read-${randomUUID()}`, timeoutMs: 30_000 });
  return {
    keys: records.map((r) => r.key?.toString('utf8') ?? null),
    values: await Promise.all(records.map((r) => (r.value === null ? null : codecs.decode(spec, r.value)))),
  };
}

/** Every asset page of GET /v1/assets, following the cursor. */
async function assetsFromGateway(gatewayUrl: string, token: string): Promise<AssetEvent[]> {
  const assets: AssetEvent[] = [];
  for (let cursor: string | null = ''; cursor !== null;) {
    const answer = await gatewayRequest(gatewayUrl, `/v1/assets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (answer.status !== 200) throw new Error(`GET /v1/assets: ${refusalText(answer)}`);
    const page = answer.body as { items: { record: AssetEvent }[]; nextCursor: string | null };
    assets.push(...page.items.map((item) => item.record));
    cursor = page.nextCursor;
  }
  return assets;
}

export async function listAssets(command: Extract<Command, { kind: 'assets' }>, gatewayUrl: string, bus: () => BusConnection, print: Print): Promise<number> {
  let assets: AssetEvent[];
  if (command.token) {
    assets = await assetsFromGateway(gatewayUrl, command.token);
  } else {
    const { keys, values } = await readCompacted(bus(), topics.assets);
    assets = latestAssets(values, keys);
  }
  if (command.json) assets.forEach((a) => print(JSON.stringify(a)));
  else if (assets.length === 0) print('(no assets yet: post telemetry, see the README\'s walkthrough)');
  else assets.forEach((a) => print(formatAsset(a)));
  return 0;
}

/** Longest the gateway is asked to wait for the router's decision before answering 202. */
const JOB_WAIT_MS = 10_000;

export async function submitJob(command: Extract<Command, { kind: 'job-submit' }>, gatewayUrl: string, print: Print): Promise<number> {
  if (!command.token) throw new UsageError('job submit needs a read API token: --token <token> or MAESTRO_TOKEN (create one with: token add <id> --tenant <tenant>)', 'job submit');
  const answer = await gatewayRequest(gatewayUrl, `/v1/jobs?waitMs=${JOB_WAIT_MS}`, { method: 'POST', token: command.token, body: command.job });
  if (command.json) print(JSON.stringify(answer.body));
  if (answer.status === 202) {
    const poll = (answer.body as { poll?: string }).poll;
    if (!command.json) print(`submitted; no routing decision within ${JOB_WAIT_MS / 1000} s (is the router running?). Poll ${gatewayUrl}${poll ?? ''}`);
    return 0;
  }
  if (answer.status !== 200) {
    if (!command.json) print(`job refused: ${refusalText(answer)}`);
    return 1;
  }
  const decision = (answer.body as { decision: { record: RoutingDecision } }).decision.record;
  if (!command.json) formatRoutingDecision(decision).forEach((line) => print(line));
  return decision.outcome === 'refused' ? 1 : 0;
}

export async function showPlan(command: Extract<Command, { kind: 'plan-show' }>, bus: BusConnection, print: Print): Promise<number> {
  const { values } = await readCompacted(bus, topics.plans);
  const plan = goalPlan(values.filter((v): v is PlanState => v !== null), command.charterId, command.goalId, command.version);
  if (!plan) {
    throw new Error(`no plan for goal '${command.goalId}' of charter '${command.charterId}'${command.version === null ? '' : ` at version ${command.version}`} on ${bus.topicPrefix}${topics.plans.name}: refine it first (call goal.refine)`);
  }
  if (command.json) {
    print(JSON.stringify(plan));
    return 0;
  }
  print(`charter ${plan.charterId} goal ${plan.goalId} v${plan.version} (${plan.status}): ${plan.steps.length} steps, makespan ${formatDuration(plan.makespanMs)}, cost ${plan.totalCost}`);
  renderGantt(plan.steps).forEach((line) => print(line));
  return 0;
}
