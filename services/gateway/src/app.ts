/**
 * The gateway's HTTP surface, built on a Fastify instance it is given: the refusal handlers first
 * (so they cover every route), then telemetry, the MAESTRO protocol routes and their OpenAPI
 * document. No I/O of its own: ./service.ts hands it the pipeline and the telemetry publisher, and
 * tests hand it theirs and call it through `app.inject()`.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { registerRefusalHandlers } from './http-refusals';
import { buildOpenApi } from './openapi';
import type { ProtocolPipeline } from './protocol-pipeline';
import { registerProtocolRoutes } from './protocol-route';
import { registerTelemetryRoute, type TelemetryRouteDeps } from './telemetry-route';

export interface GatewayRoutesDeps {
  readonly pipeline: ProtocolPipeline;
  readonly telemetry: TelemetryRouteDeps;
  /** Largest request body (GATEWAY_MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Deepest JSON nesting of any body (GATEWAY_MAX_JSON_DEPTH). */
  readonly maxJsonDepth: number;
  logError(fields: Record<string, unknown>, message: string): void;
}

export async function registerGatewayRoutes(app: FastifyInstance, deps: GatewayRoutesDeps): Promise<void> {
  registerRefusalHandlers(app, { maxBodyBytes: deps.maxBodyBytes, maxJsonDepth: deps.maxJsonDepth, logError: deps.logError });
  registerTelemetryRoute(app, deps.telemetry);
  const routes: RouteOptions[] = [];
  await registerProtocolRoutes(app, deps.pipeline, { maxBodyBytes: deps.maxBodyBytes, onRoute: (route) => routes.push(route) });
  let openapi: string | undefined;
  app.get('/v1/openapi.json', async (_request, reply) => {
    openapi ??= JSON.stringify(buildOpenApi(routes, { version: 'v1' }));
    return reply.type('application/json; charset=utf-8').send(openapi);
  });
}
