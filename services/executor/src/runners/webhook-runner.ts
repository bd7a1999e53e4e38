import { SIGNATURE_HEADER, excerptOf, isRetryableStatus, retryDelayMs, signatureHeader, type RunOutcome, type RunRequest } from '../domain';
import type { RunnerDeps, RunnerType } from '../runner-type';

/** Settings of a webhook runner. */
export interface WebhookSpec {
  /** Where to POST; absent: the action's own `webhook.url` param (what the runbook strategy sets). */
  readonly url: string | undefined;
  /** Budget of one request, response body included. @default 10_000 */
  readonly timeoutMs: number;
  /** Tries after the first, on a timeout, a refused connection, a 5xx, 408 or 429. @default 3 */
  readonly retries: number;
  /** First retry delay, doubled per retry. @default 500 */
  readonly backoffMs: number;
  /** @default 10_000 */
  readonly maxBackoffMs: number;
}

/**
 * POSTs the action as JSON, signed (`Maestro-Signature`, see domain/signature.ts), with the action
 * id as `Idempotency-Key` on every try: a receiver that got a request whose answer was lost sees the
 * retry's key and does not act twice. Idempotent for that reason: after an executor crash the
 * action is sent again, with the same key.
 */
export const webhookRunnerType: RunnerType<WebhookSpec> = {
  type: 'webhook',
  parse(f) {
    f.only(['url', 'timeoutMs', 'retries', 'backoffMs', 'maxBackoffMs']);
    const url = f.optionalString('url');
    if (url !== undefined) checkUrl(url, `${f.at}.url`);
    return {
      url,
      timeoutMs: f.integer('timeoutMs', { default: 10_000, min: 1, max: 600_000 }),
      retries: f.integer('retries', { default: 3, min: 0, max: 20 }),
      backoffMs: f.integer('backoffMs', { default: 500, min: 0 }),
      maxBackoffMs: f.integer('maxBackoffMs', { default: 10_000, min: 0 }),
    };
  },
  longestRunMs: (spec) => Array.from({ length: spec.retries }, (_, i) => retryDelayMs(i + 1, spec.backoffMs, spec.maxBackoffMs)).reduce((a, b) => a + b, (spec.retries + 1) * spec.timeoutMs),
  create(name, spec, deps) {
    if (!deps.webhookSecret) throw new Error(`runner ${name}: a webhook runner needs EXECUTOR_WEBHOOK_SECRET, so receivers can verify who called`);
    return { name, idempotent: true, run: (request, signal) => deliver(spec, deps, request, signal) };
  },
};

function checkUrl(url: string, at: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${at}: ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${at}: must be http(s), got ${parsed.protocol}`);
}

/** The URL and method of this action: the runner's own, or the runbook's from the action. */
function target(spec: WebhookSpec, request: RunRequest): { url: string; method: string } | string {
  if (spec.url) return { url: spec.url, method: 'POST' };
  const hook = request.params.webhook;
  if (typeof hook !== 'object' || hook === null || typeof (hook as { url?: unknown }).url !== 'string') {
    return `the runner has no url and the action has no webhook.url param (strategy ${request.strategy})`;
  }
  const { url, method } = hook as { url: string; method?: unknown };
  try {
    checkUrl(url, 'webhook.url');
  } catch (err) {
    return (err as Error).message;
  }
  return { url, method: method === 'PUT' ? 'PUT' : 'POST' };
}

async function deliver(spec: WebhookSpec, deps: RunnerDeps, request: RunRequest, signal: AbortSignal): Promise<RunOutcome> {
  const where = target(spec, request);
  if (typeof where === 'string') return { status: 'failed', attempts: 0, output: '', errorCode: 'bad_params', error: where };
  const body = JSON.stringify({ action: request, payload: (request.params.webhook as { payload?: unknown } | undefined)?.payload ?? null });
  let last: RunOutcome = { status: 'failed', attempts: 0, output: '', errorCode: 'interrupted', error: 'stopped before the first try' };
  for (let attempt = 1; attempt <= spec.retries + 1 && !signal.aborted; attempt++) {
    if (attempt > 1) await sleep(retryDelayMs(attempt - 1, spec.backoffMs, spec.maxBackoffMs), signal);
    if (signal.aborted) break;
    try {
      const response = await fetch(where.url, {
        method: where.method,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.actionId,
          [SIGNATURE_HEADER]: signatureHeader(deps.webhookSecret, body, deps.now()),
          'maestro-delivery-attempt': String(attempt),
        },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(spec.timeoutMs)]),
      });
      const text = excerptOf(await response.text(), deps.outputMaxBytes);
      if (response.ok) return { status: 'succeeded', attempts: attempt, output: text, detail: `${where.method} ${where.url} answered ${response.status}` };
      last = { status: 'failed', attempts: attempt, output: text, errorCode: 'http_status', error: `${where.method} ${where.url} answered ${response.status}` };
      if (!isRetryableStatus(response.status)) return last;
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      last = {
        status: 'failed', attempts: attempt, output: '', errorCode: timedOut ? 'timeout' : 'unreachable',
        error: timedOut ? `${where.method} ${where.url} gave no answer within ${spec.timeoutMs} ms` : `${where.method} ${where.url} failed: ${describe(err)}`,
      };
    }
  }
  return last;
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
