/**
 * The demo's remediation endpoint: the executor's webhook runner posts each healing action here,
 * as it would to a real runbook automation. The receiver does what docs/executor.md asks of one:
 * verifies the Maestro-Signature over the raw body before parsing it, refuses a stale timestamp,
 * and acts at most once per Idempotency-Key (a retry gets the first answer again). Then it carries
 * the action out on the simulated fleet, whose telemetry recovers a moment later.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../services/executor/src/domain/signature';
import type { Fleet, Remediation } from './fleet';

/** One action the receiver handled, for the demo's narration and the tests. */
export interface ReceivedAction {
  readonly actionId: string;
  readonly assetId: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly outcome: Remediation;
  readonly atMs: number;
}

export interface RemediationReceiver {
  readonly url: string;
  /** Every action carried out (not the refused or repeated requests), oldest first. */
  readonly received: readonly ReceivedAction[];
  close(): Promise<void>;
}

export interface ReceiverOptions {
  readonly fleet: Fleet;
  readonly secret: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  readonly now?: () => number;
  readonly onAction?: (action: ReceivedAction) => void;
  readonly onRefused?: (reason: string) => void;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function startRemediationReceiver(options: ReceiverOptions): Promise<RemediationReceiver> {
  const now = options.now ?? Date.now;
  const received: ReceivedAction[] = [];
  // Idempotency-Key → the answer given: a retry whose first try arrived is answered the same, not re-run.
  const answered = new Map<string, Answer>();

  function handle(raw: string, request: IncomingMessage): Answer {
    const check = verifySignature(options.secret, header(request, 'maestro-signature'), raw, now());
    if (!check.ok) return refuse(401, `signature refused: ${check.reason}`);
    const key = header(request, 'idempotency-key');
    if (!key) return refuse(400, 'no Idempotency-Key');
    const earlier = answered.get(key);
    if (earlier) return earlier;
    let action: { actionId?: unknown; assetId?: unknown; strategy?: unknown; params?: unknown };
    try {
      action = (JSON.parse(raw) as { action?: typeof action }).action ?? {};
    } catch {
      return refuse(400, 'the body is not JSON');
    }
    if (typeof action.assetId !== 'string' || typeof action.strategy !== 'string') return refuse(400, 'the body has no action with assetId and strategy');
    const atMs = now();
    const outcome = options.fleet.remediate(action.assetId, action.strategy, atMs);
    const done: ReceivedAction = {
      actionId: typeof action.actionId === 'string' ? action.actionId : key, assetId: action.assetId, strategy: action.strategy,
      params: typeof action.params === 'object' && action.params !== null ? action.params as Record<string, unknown> : {}, outcome, atMs,
    };
    received.push(done);
    options.onAction?.(done);
    // 422 when the strategy cannot fix this fault: a 4xx the executor does not retry, so the healer escalates at once.
    const answer: Answer = outcome.ok ? { status: 200, body: { done: true, detail: outcome.detail } } : { status: 422, body: { done: false, detail: outcome.detail } };
    answered.set(key, answer);
    return answer;
  }

  function refuse(status: number, reason: string): Answer {
    options.onRefused?.(reason);
    return { status, body: { refused: reason } };
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = request.method === 'POST' || request.method === 'PUT' ? handle(Buffer.concat(chunks).toString('utf8'), request) : { status: 405, body: { refused: 'POST or PUT only' } };
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/remediate`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
