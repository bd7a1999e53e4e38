/**
 * What went wrong talking to the gateway, in the words a user can act on. The gateway refuses in
 * one shape ({"refused": {code, reasons}}); a proxy in front of it may answer anything (an HTML
 * 502, a bare 403); a gateway that is down answers nothing at all. All three become an ApiError.
 */

/** A refusal or failure of a call to the gateway; status 0 when nothing answered. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly reasons: readonly string[]) {
    super(`${status} ${code}${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
  }
}

/** The status of a call that got no answer (the gateway is down, or the network is). */
export const UNREACHABLE = 0;

/** An ApiError from an answer: the gateway's refusal if the body is one, else the status alone. */
export function refusalOf(status: number, statusText: string, body: unknown): ApiError {
  const refused = (body as { refused?: { code?: unknown; reasons?: unknown } } | null)?.refused;
  if (refused && typeof refused.code === 'string') {
    const reasons = Array.isArray(refused.reasons) ? refused.reasons.map(String) : [];
    return new ApiError(status, refused.code, reasons);
  }
  // Not the gateway's shape: something between the browser and the gateway answered.
  return new ApiError(status, 'http_error', [statusText ? `${status} ${statusText}, not a refusal of the gateway (a proxy?)` : `HTTP ${status}, not a refusal of the gateway (a proxy?)`]);
}

/** An ApiError for a call that got no answer at all. */
export function unreachable(origin: string, cause: unknown): ApiError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(UNREACHABLE, 'unreachable', [`the gateway at ${origin} did not answer (${why})`]);
}

export interface Explained {
  /** One line: what happened. */
  readonly title: string;
  /** What the user can do about it. */
  readonly hint: string;
}

/** The error as a title and a hint, by what the user can do about it. */
export function explain(error: unknown): Explained {
  if (!(error instanceof ApiError)) return { title: `The console failed: ${error instanceof Error ? error.message : String(error)}`, hint: 'Reload the page; if it persists, the browser console has the details.' };
  const detail = error.reasons.join('; ');
  if (error.status === UNREACHABLE) return { title: 'The gateway is unreachable', hint: `${detail}. Is it running? \`npm start\` starts it.` };
  if (error.status === 401) return { title: `The token was refused (${error.code})`, hint: `${detail || 'the gateway does not know this token'}. Make one with \`npm run maestro -- token add <name> --tenant <tenant>\` (a running gateway takes it within a second) and paste it.` };
  if (error.status === 403) return { title: `Forbidden (${error.code})`, hint: `${detail || 'this token may not read this'}. Use a token of the tenant you want to read.` };
  if (error.status >= 500) return { title: `The gateway failed: ${error.status} ${error.code}`, hint: `${detail || 'no reason given'}. The gateway's log says why (under npm start: .stack/logs/gateway.log); retry once it is fixed.` };
  return { title: `The gateway refused: ${error.status} ${error.code}`, hint: detail };
}
