/**
 * POST /v1/protocol/maestro.<operation>: the HTTP adapter of the MAESTRO pipeline. Routes live in
 * their own encapsulated scope so that:
 * - the body reaches the parse stage as the raw string (it is parsed, size-checked and checked for
 *   canonicalisability there, and Fastify's own JSON errors never escape as its generic 400/500);
 * - route schemas document the API (OpenAPI) but do not validate: the validate stage does, with the
 *   published schemas and options that never change what was signed;
 * - errors Fastify raises before the handler (a body over the limit, a broken Content-Length) become
 *   the same structured, audited refusal as any other.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { operationNames, operations } from './domain';
import { refusalOfRequestError } from './http-refusals';
import type { ProtocolPipeline, ProtocolResponse } from './protocol-pipeline';
import { protocolRouteSchema, unknownOperationRouteSchema } from './openapi';

export interface ProtocolRouteOptions {
  /** Largest body accepted; larger ones get 413 payload_too_large. */
  readonly maxBodyBytes: number;
  /** Receives every route of the scope, for the OpenAPI document. */
  onRoute?(route: RouteOptions): void;
}

const PATH_PREFIX = '/v1/protocol/';

/** The operation named by the URL: `/v1/protocol/maestro.goal.refine` and `/v1/protocol/goal.refine` both name goal.refine. */
export function operationOfUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  let segment = path.startsWith(PATH_PREFIX) ? path.slice(PATH_PREFIX.length) : path;
  try {
    segment = decodeURIComponent(segment);
  } catch {
    /* keep it raw: an unknown operation either way */
  }
  return segment.startsWith('maestro.') ? segment.slice('maestro.'.length) : segment;
}

async function send(reply: FastifyReply, response: ProtocolResponse): Promise<FastifyReply> {
  if (response.retryAfterS !== undefined) void reply.header('retry-after', String(response.retryAfterS));
  if (response.replayed) void reply.header('idempotent-replayed', 'true');
  const audit = (response.body as { audit?: unknown } | null)?.audit;
  if (typeof audit === 'string') void reply.header('maestro-audit-id', audit);
  return reply.code(response.status).type('application/json; charset=utf-8').send(JSON.stringify(response.body));
}

export async function registerProtocolRoutes(app: FastifyInstance, pipeline: ProtocolPipeline, options: ProtocolRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    if (options.onRoute) scope.addHook('onRoute', options.onRoute);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.maxBodyBytes }, (_request, body, done) => done(null, body));
    scope.setValidatorCompiler(() => () => true);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));

    // Errors Fastify raises before the handler are mapped as on every route (./http-refusals.ts), then audited like any refusal.
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      const { refusal, incident } = refusalOfRequestError(error, options);
      if (incident) request.log.error({ err: error, incident }, 'protocol route failed');
      return send(reply, await pipeline.refuseEarly(operationOfUrl(request.url), refusal));
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      const key = request.headers['idempotency-key'];
      return send(reply, await pipeline.handle(operationOfUrl(request.url), raw, Array.isArray(key) ? key.join(',') : key));
    };
    for (const name of operationNames) {
      scope.post(`${PATH_PREFIX}maestro.${name}`, { bodyLimit: options.maxBodyBytes, schema: protocolRouteSchema(operations[name]) }, handler);
    }
    // Everything else under the prefix: the short alias (/v1/protocol/goal.refine) and unknown operations (404 listing the operations).
    scope.post(`${PATH_PREFIX}:operation`, { bodyLimit: options.maxBodyBytes, schema: unknownOperationRouteSchema() }, handler);
  });
}
