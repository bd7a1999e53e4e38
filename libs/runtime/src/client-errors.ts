/**
 * What a service answers when Node's HTTP parser gives up on a request before any route or hook
 * can see it: headers (the request line included) over Node's 16 KB limit, bytes that are not
 * HTTP, a request that took too long to arrive. Fastify's default writes its own JSON body; every
 * other refusal of ours is `{refused: {stage, code, reasons}}`, so a caller's mistake gets that
 * shape here too (the gateway's error catalog lists the codes).
 */
import type { Socket } from 'node:net';

/** A refusal written straight to the socket: the parser has no request for a reply to belong to. */
export interface ClientErrorAnswer {
  readonly status: 400 | 408 | 431;
  readonly code: 'headers_too_large' | 'request_timeout' | 'malformed_request';
  readonly reason: string;
  /** Set when the same request may succeed if sent again: the response carries Retry-After. */
  readonly retryAfterS?: number;
}

const REASON_PHRASES: Record<ClientErrorAnswer['status'], string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The answer for a parser error code (Node's `HPE_*` and `ERR_HTTP_*` codes); null when there is no one to answer. */
export function clientErrorAnswer(errorCode: string | undefined): ClientErrorAnswer | null {
  switch (errorCode) {
    // The peer went away: nothing can be written.
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', reason: 'the request line and headers exceed 16 KB; send long values in a body or shorten the path' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', reason: 'the request did not arrive whole in time', retryAfterS: 1 };
    default:
      return { status: 400, code: 'malformed_request', reason: `the request cannot be read as HTTP/1.1 (${errorCode ?? 'unknown parser error'})` };
  }
}

/** The bytes of a whole HTTP/1.1 response carrying the answer; the connection closes after it. */
export function clientErrorResponse(answer: ClientErrorAnswer): string {
  const body = JSON.stringify({ refused: { stage: 'parse', code: answer.code, reasons: [answer.reason] } });
  return `HTTP/1.1 ${answer.status} ${REASON_PHRASES[answer.status]}\r\n`
    + 'Content-Type: application/json; charset=utf-8\r\n'
    + `Content-Length: ${Buffer.byteLength(body)}\r\n`
    + (answer.retryAfterS === undefined ? '' : `Retry-After: ${answer.retryAfterS}\r\n`)
    + 'Connection: close\r\n\r\n'
    + body;
}

/** Fastify's `clientErrorHandler`: answers in the refusal shape, then closes the connection. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const answer = socket.destroyed ? null : clientErrorAnswer(error.code);
  if (answer && socket.writable) socket.end(clientErrorResponse(answer), () => socket.destroy());
  else socket.destroy();
}
