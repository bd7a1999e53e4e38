import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { answerClientError } from './client-errors';
import type { Lifecycle } from './lifecycle';
import type { Readiness } from './readiness';

export interface HttpServerOptions {
  logger: PinoLogger;
  lifecycle: Lifecycle;
  readiness: Readiness;
  metrics: Registry;
  /** Largest request body accepted, in bytes; larger ones get 413. @default 1048576 */
  bodyLimitBytes?: number;
}

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The HTTP side every service has: liveness, readiness and Prometheus metrics. The gateway adds its
 * API routes to the same instance. While the service drains, every other route answers 503 with
 * Retry-After so that load balancers move callers to another replica.
 */
export function createHttpServer({ logger, lifecycle, readiness, metrics, bodyLimitBytes = 1_048_576 }: HttpServerOptions): FastifyInstance {
  // Request lines are not logged (metrics count them); warnings and errors are. A path parameter may
  // be an asset id of 200 characters (the telemetry limit), percent-encoded up to 12 bytes each:
  // Fastify's default of 100 answered GET /v1/assets/{id} of a long id 414 in its own shape.
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }), bodyLimit: bodyLimitBytes, return503OnClosing: true,
    routerOptions: { maxParamLength: 2_400 },
    clientErrorHandler: answerClientError,
    // A path Fastify cannot decode (a broken percent-escape) is refused before any route, outside
    // the instance's error handler: hand it to whichever handler the service set (the gateway's
    // answers in its refusal shape) instead of Fastify's own body.
    frameworkErrors: (error, request, reply) => {
      Promise.resolve(app.errorHandler.call(app, error, request, reply as FastifyReply)).catch((failure: unknown) => {
        app.log.error({ err: failure }, 'framework error not answered');
      });
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (lifecycle.state() !== 'running' && !probePaths.has(request.url.split('?')[0] ?? '')) {
      await reply.code(503).header('retry-after', '1').send({ refused: { stage: 'lifecycle', code: 'unavailable', reasons: [`the service is ${lifecycle.state()}`] } });
    }
  });

  app.get('/healthz', async () => ({ status: 'ok', state: lifecycle.state() }));

  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.report();
    const ready = report.ready && lifecycle.state() === 'running';
    return reply.code(ready ? 200 : 503).send({ ready, state: lifecycle.state(), checks: report.checks });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', metrics.contentType).send(await metrics.metrics());
  });

  // Fastify's instance type is parameterised by the logger; callers only need the default shape.
  return app as unknown as FastifyInstance;
}
