/**
 * One answer shape for every gateway route: whatever goes wrong — a body Fastify cannot read, a
 * content type it has no parser for, a body over the limit, a path that does not exist, a bug —
 * the caller gets `{refused: {stage, code, reasons, details?}}` with a code from the catalog and
 * its status, never Fastify's own error body. Registered once on the root instance, so it covers
 * routes it has never heard of (telemetry, the OpenAPI document); the protocol routes keep their
 * own scope's handler only to audit what this module maps (./protocol-route.ts).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { httpStatusOf, refuse, refuseIfTooDeep, type Refusal } from './domain';

/** An error that already knows its refusal: thrown by the JSON parser below. */
export class RefusalError extends Error {
  readonly refusal: Refusal;
  constructor(refusal: Refusal) {
    super(refusal.refused.reasons.join('; '));
    this.name = 'RefusalError';
    this.refusal = refusal;
  }
}

/** What happened before a handler could answer, as a refusal; `incident` is set for Maestro's own failures (to be logged). */
export function refusalOfRequestError(error: FastifyError | Error, limits: { maxBodyBytes: number }): { refusal: Refusal; incident?: string } {
  if (error instanceof RefusalError) return { refusal: error.refusal };
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { refusal: refuse('payload_too_large', [`the body is over the limit of ${limits.maxBodyBytes} bytes`], { details: { maxBodyBytes: limits.maxBodyBytes } }) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { refusal: refuse('unsupported_media_type', ['send the body as JSON with content-type: application/json']) };
    case 'FST_ERR_BAD_URL':
      return { refusal: refuse('malformed_url', [error.message]) };
    case 'FST_ERR_VALIDATION':
      // A route that validates with its own schema (the protocol routes do not: their validate stage does).
      return { refusal: refuse('schema_violation', [error.message]) };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { refusal: refuse('malformed_json', [`the request cannot be read: ${error.message}`]) };
  }
  const incident = randomUUID();
  return { refusal: refuse('internal', [`incident ${incident}`], { stage: 'parse' }), incident };
}

/** Sends a refusal with the catalog's status (and Retry-After for the retryable ones). */
export function sendRefusal(reply: FastifyReply, refusal: Refusal & { audit?: string }, retryAfterS?: number): FastifyReply {
  if (retryAfterS !== undefined) void reply.header('retry-after', String(retryAfterS));
  return reply.code(httpStatusOf(refusal.refused.code)).type('application/json; charset=utf-8').send(JSON.stringify(refusal));
}

export interface RefusalHandlerOptions {
  readonly maxBodyBytes: number;
  /** Deepest JSON nesting a body may have (GATEWAY_MAX_JSON_DEPTH). */
  readonly maxJsonDepth: number;
  logError(fields: Record<string, unknown>, message: string): void;
}

/**
 * Replaces the root instance's parsers with one JSON parser that bounds nesting before parsing and refuses
 * in the catalog's terms, and installs the error and not-found handlers. Call before any route is
 * registered.
 */
export function registerRefusalHandlers(app: FastifyInstance, options: RefusalHandlerOptions): void {
  // JSON only: Fastify's text/plain parser would hand a route a string it never expects.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: options.maxBodyBytes }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const tooDeep = refuseIfTooDeep(text, options.maxJsonDepth);
    if (tooDeep) return done(new RefusalError(tooDeep), undefined);
    try {
      return done(null, JSON.parse(text) as unknown);
    } catch (error) {
      return done(new RefusalError(refuse('malformed_json', [`the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`])), undefined);
    }
  });
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { refusal, incident } = refusalOfRequestError(error, options);
    if (incident) options.logError({ err: error, incident, url: request.url }, 'request failed');
    return sendRefusal(reply, refusal);
  });
  app.setNotFoundHandler(async (request, reply) => sendRefusal(reply, refuse('unknown_route', [`no route ${request.method} ${request.url.split('?')[0] ?? ''}`])));
}
