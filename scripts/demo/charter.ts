/**
 * The planning half of the demo: a charter with a goal, declared, refined and committed through
 * signed MAESTRO calls (docs/protocol.md), then dispatched to simulated executors that take work
 * orders with dispatch.next and report outcomes. Every id a call needs comes from an earlier answer.
 */
import { randomUUID } from 'node:crypto';
import { signRequest } from '../../services/gateway/src/domain';
import { pause } from './pause';

/** A protocol caller: the id in the gateway's trust store and its private key (PEM). */
export interface DemoCaller {
  readonly id: string;
  readonly tenant: string;
  readonly privateKeyPem: string;
}

export interface ProtocolAnswer {
  readonly status: number;
  readonly body: { result?: Record<string, unknown>; refused?: { code: string; reasons: string[] } };
}

/** One signed call through the gateway. */
export async function callProtocol(gatewayUrl: string, caller: DemoCaller, operation: string, payload: unknown): Promise<ProtocolAnswer> {
  const body = signRequest(caller.privateKeyPem, {
    operation, caller: caller.id, tenant: caller.tenant, capability: `map.maestro.${operation}`, timestampMs: Date.now(), nonce: randomUUID(), payload,
  });
  const response = await fetch(`${gatewayUrl}/v1/protocol/maestro.${operation}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() as ProtocolAnswer['body'] };
}

/** The simulated executors: two general workers and one that can also run a language model. */
export const demoExecutors = [
  { id: 'sim-worker-1', speed: 1, costPerMs: 0.0005, trust: 0.9, capabilities: ['http', 'etl'] },
  { id: 'sim-worker-2', speed: 1.5, costPerMs: 0.001, trust: 0.8, capabilities: ['http', 'etl'] },
  { id: 'sim-llm-1', speed: 1, costPerMs: 0.002, trust: 0.95, capabilities: ['http', 'llm'] },
] as const;

/** The goal: a report built from three sources, summarised by a model and published. */
export function reportGoal(charterId: string, goalId: string): Record<string, unknown> {
  const step = (id: string, name: string, durationMs: number, capability: string, cost: number) => ({
    id, name, durationMs, cost, requirements: { capabilities: [capability], minTrust: 0.5 }, retry: { maxAttempts: 2, backoffMs: 500 },
  });
  return {
    charterId, goalId, intent: 'Fleet health report: fetch three sources, merge, summarise and publish',
    steps: [
      step('fetch-metrics', 'Fetch fleet metrics', 3_000, 'http', 1), step('fetch-incidents', 'Fetch incidents', 2_000, 'http', 1),
      step('fetch-costs', 'Fetch costs', 2_500, 'http', 1), step('merge', 'Merge sources', 3_000, 'etl', 2),
      step('summarise', 'Summarise with a model', 6_000, 'llm', 5), step('publish', 'Publish the report', 1_000, 'http', 0.5),
    ],
    dependencies: [
      { from: 'fetch-metrics', to: 'merge' }, { from: 'fetch-incidents', to: 'merge' }, { from: 'fetch-costs', to: 'merge' },
      { from: 'merge', to: 'summarise' }, { from: 'summarise', to: 'publish' },
    ],
  };
}

export interface CharterRunOptions {
  readonly gatewayUrl: string;
  readonly caller: DemoCaller;
  readonly charterId: string;
  readonly say: (line: string) => void;
  /** Stops the executors' loop. */
  readonly signal: AbortSignal;
  /** Real time a work order takes per millisecond of its estimate. @default 0.5 */
  readonly timeScale?: number;
  /** Time between two polls of dispatch.next per executor. @default 1_000 */
  readonly pollMs?: number;
}

function refusal(answer: ProtocolAnswer): string {
  return answer.body.refused ? `${answer.body.refused.code}: ${answer.body.refused.reasons.join('; ')}` : `HTTP ${answer.status}`;
}

/**
 * Declares the charter, plans goals one after another (a new goal when the last one completed),
 * and runs the simulated executors until `signal` aborts. Resolves then; throws only when the
 * charter or the first plan is refused, which the demo cannot go on without.
 */
export async function runCharter(options: CharterRunOptions): Promise<void> {
  const { gatewayUrl, caller, charterId, say, signal } = options;
  const timeScale = options.timeScale ?? 0.5;
  const pollMs = options.pollMs ?? 1_000;
  const declared = await callProtocol(gatewayUrl, caller, 'charter.declare', {
    charterId, budget: { cost: 10_000, tokens: 1_000_000 }, deadlineMs: 3_600_000, minTrust: 0.5, executors: demoExecutors,
  });
  if (declared.status !== 200) throw new Error(`charter.declare was refused: ${refusal(declared)}`);
  say(`charter ${charterId} declared (revision ${String(declared.body.result?.revision)}) with executors ${demoExecutors.map((e) => e.id).join(', ')}`);

  let round = 0;
  while (!signal.aborted) {
    round += 1;
    const goalId = `report-${round}`;
    const planned = await callProtocol(gatewayUrl, caller, 'plan', reportGoal(charterId, goalId));
    if (planned.status !== 200) {
      if (round === 1) throw new Error(`plan was refused: ${refusal(planned)}`);
      say(`plan of ${goalId} refused: ${refusal(planned)}`);
      await pause(10_000, signal);
      continue;
    }
    const plan = planned.body.result?.plan as { makespanMs?: number; totalCost?: number; analysis?: { criticalPath?: string[] } } | undefined;
    say(`goal ${goalId} refined and committed as version ${String(planned.body.result?.version)}: critical path ${plan?.analysis?.criticalPath?.join(' → ') ?? '?'}, `
      + `makespan ${((plan?.makespanMs ?? 0) / 1000).toFixed(1)} s, cost ${plan?.totalCost?.toFixed(2) ?? '?'}`);
    const status = await executeGoal(options, goalId, timeScale, pollMs);
    if (signal.aborted) return;
    say(`goal ${goalId} ${status}; the next goal in 15 s`);
    await pause(15_000, signal);
  }
}

/** Each executor polls for work orders, "runs" each for its scaled estimate and reports it, until the goal is done. */
async function executeGoal(options: CharterRunOptions, goalId: string, timeScale: number, pollMs: number): Promise<string> {
  const { gatewayUrl, caller, charterId, say, signal } = options;
  let finished: string | null = null;
  await Promise.all(demoExecutors.map(async (executor) => {
    while (!signal.aborted && finished === null) {
      const next = await callProtocol(gatewayUrl, caller, 'dispatch.next', { charterId, goalId, executorId: executor.id, maxOrders: 1 });
      const orders = (next.body.result?.workOrders ?? []) as { workOrderId: string; name: string; estimateMs: number }[];
      if (next.status !== 200 || orders.length === 0) {
        const state = await goalStatus(gatewayUrl, caller, charterId, goalId);
        if (state === 'completed' || state === 'failed' || state === 'cancelled') finished = state;
        else await pause(pollMs, signal);
        continue;
      }
      for (const order of orders) {
        say(`  ${executor.id} took ${order.workOrderId} (${order.name})`);
        const startedMs = Date.now();
        await pause(Math.round(order.estimateMs * timeScale), signal);
        if (signal.aborted) return;
        const durationMs = Date.now() - startedMs;
        const reported = await callProtocol(gatewayUrl, caller, 'outcome.report', {
          charterId, workOrderId: order.workOrderId, status: 'completed', actualDurationMs: durationMs, actualCost: Math.round(durationMs * executor.costPerMs * 100) / 100,
        });
        const result = reported.body.result as { planStatus?: string } | undefined;
        say(`  ${executor.id} reported ${order.workOrderId} completed after ${(durationMs / 1000).toFixed(1)} s${reported.status === 200 ? `: plan ${result?.planStatus}` : `, refused: ${refusal(reported)}`}`);
      }
    }
  }));
  return finished ?? 'stopped';
}

async function goalStatus(gatewayUrl: string, caller: DemoCaller, charterId: string, goalId: string): Promise<string | null> {
  const answer = await callProtocol(gatewayUrl, caller, 'query.goals', { charterId });
  const goals = (answer.body.result?.goals ?? []) as { goalId: string; status: string }[];
  return goals.find((g) => g.goalId === goalId)?.status ?? null;
}
