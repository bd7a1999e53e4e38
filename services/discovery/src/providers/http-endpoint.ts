/**
 * HTTP endpoint provider: GETs a JSON array of assets (format in `asset-entry.ts`) from a CMDB or an
 * inventory service on each poll. A timeout, a non-2xx status, an oversized or malformed body are
 * poll problems: the last good snapshot is served for `keepLastGoodMs` (see `last-good.ts`), so an
 * endpoint that flaps does not make its assets look removed.
 */
import type { DiscoveryProvider, ProviderProblem } from '../domain/index';
import { pollProblem } from '../domain/index';
import { parseAssetList } from './asset-entry';
import { failureMessage } from './failure-message';
import { createSnapshotKeeper } from './last-good';

/** Options of {@link createHttpEndpointProvider}. */
export interface HttpEndpointProviderOptions {
  /** The endpoint; answered with a JSON array. */
  readonly url: string | URL;
  /** @default "http" */
  readonly name?: string;
  /** @default 200 */
  readonly precedence?: number;
  /**
   * Budget for the whole request, body included. Well under the poll interval, so polls never pile up.
   * @default 5_000
   */
  readonly timeoutMs?: number;
  /** How long the last good snapshot is served while the endpoint fails. @default 900_000 */
  readonly keepLastGoodMs?: number;
  /** Largest body accepted; bounds memory against a misconfigured endpoint. @default 10_000_000 */
  readonly maxBodyBytes?: number;
  /** Extra request headers (an `authorization` token). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Creates a provider that polls `options.url`. */
export function createHttpEndpointProvider(options: HttpEndpointProviderOptions): DiscoveryProvider {
  const name = options.name ?? 'http';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxBodyBytes = options.maxBodyBytes ?? 10_000_000;
  const keeper = createSnapshotKeeper(name, options.keepLastGoodMs ?? 900_000);
  const url = String(options.url);
  return {
    name,
    precedence: options.precedence ?? 200,
    async poll(nowMs) {
      const body = await fetchBody(url, { timeoutMs, maxBodyBytes, headers: options.headers ?? {} });
      if (typeof body !== 'string') return keeper.fail(nowMs, [body]);
      let document: unknown;
      try {
        document = JSON.parse(body);
      } catch (err: unknown) {
        return keeper.fail(nowMs, [pollProblem('malformed_json', `${url} answered with a body that is not valid JSON: ${failureMessage(err)}`)]);
      }
      const parsed = parseAssetList(document, name, nowMs);
      return parsed.failed ? keeper.fail(nowMs, parsed.problems) : keeper.succeed(nowMs, parsed.assets, parsed.problems);
    },
    lastPoll: () => keeper.lastPoll(),
  };
}

interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** The body as text, or the problem that prevented reading it. */
async function fetchBody(url: string, limits: FetchLimits): Promise<string | ProviderProblem> {
  // One signal for headers and body: a server that sends headers and then stalls is a timeout too.
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(url, { signal, headers: { accept: 'application/json', ...limits.headers } });
    if (!response.ok) {
      await response.body?.cancel();
      return pollProblem('http_status', `${url} answered ${response.status} ${response.statusText}`.trim());
    }
    return await readLimited(response, limits.maxBodyBytes, url);
  } catch (err: unknown) {
    if (signal.aborted) return pollProblem('timeout', `${url} did not answer within ${limits.timeoutMs} ms`);
    return pollProblem('read_failed', `${url}: ${failureMessage(err)}`);
  }
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<string | ProviderProblem> {
  const tooLarge = () => pollProblem('read_failed', `${url} answered with a body over ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return tooLarge();
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
