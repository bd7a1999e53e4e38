/**
 * Turning a caught error into a one-line reason for a provider problem. Node's network errors hide
 * the useful part (`ECONNREFUSED`, `ENOTFOUND`) in `cause.code`, and `fetch` reports every one of
 * them as "fetch failed"; the reason must say which.
 */

/** Longest message kept: a JSON parse error can quote the input, which may be large. */
const MAX_LENGTH = 200;

/** The error's message with its system code (and its cause's), shortened to a log line. */
export function failureMessage(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  // Two levels are enough for fetch (TypeError → SystemError); a loop guards a self-referencing cause.
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  const message = parts.join(': ') || 'unknown error';
  return message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH)}…` : message;
}
