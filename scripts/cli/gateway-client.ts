/**
 * HTTP to the gateway for the CLI. A gateway that does not answer is the commonest first-run mistake,
 * so it gets its own error naming the URL and how to start it, instead of fetch's bare "fetch failed".
 */

/** The gateway did not answer at all (refused, unknown host, timed out). Exit status 1. */
export class GatewayUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    const why = causeText(cause);
    super(`the gateway at ${url} is not reachable${why ? ` (${why})` : ''}: start the stack and services with \`npm start\`, or point MAESTRO_GATEWAY_URL at a running gateway`, { cause });
  }
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : '');
}

export interface GatewayAnswer {
  status: number;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
  headers: Headers;
}

/** One request to the gateway; throws GatewayUnreachableError when nothing answers. */
export async function gatewayRequest(gatewayUrl: string, path: string, init: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<GatewayAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${gatewayUrl}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  } catch (error) {
    throw new GatewayUnreachableError(gatewayUrl, error);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body, headers: response.headers };
}

/** The gateway's refusal shape as one line, or the body as it came. */
export function refusalText(answer: GatewayAnswer): string {
  const refused = (answer.body as { refused?: { code?: string; reasons?: string[] } } | null)?.refused;
  if (refused) return `HTTP ${answer.status} ${refused.code ?? ''}: ${(refused.reasons ?? []).join('; ')}`;
  return `HTTP ${answer.status}: ${typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)}`;
}
