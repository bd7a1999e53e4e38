/**
 * The read side of the gateway in one registration: the read routes, the live stream and job
 * submission over the projector's read model in Redis (docs/read-api.md). ./service.ts hands it the
 * gateway's Redis, token store and producer; tests hand it theirs.
 */
import type { FastifyInstance } from 'fastify';
import type { JobRequest } from '@maestro/contracts';
import type { Keyspace, Redis } from '@maestro/state';
import { registerEventsRoute, type LiveStreams } from './events-route';
import { registerJobsRoute } from './jobs-route';
import type { TokenVerifier } from './read-auth';
import { createReadModelStore } from './read-model-store';
import { registerReadRoutes } from './read-routes';

export interface ReadApiDeps {
  readonly redis: Redis;
  readonly keys: Keyspace;
  /** The API tokens (GATEWAY_TELEMETRY_TOKENS): the same credential as POST /v1/telemetry. */
  readonly tokens: TokenVerifier;
  /** Produces a job request to the router (a bounded send). */
  submitJob(job: JobRequest): Promise<void>;
  isUnavailable(error: unknown): boolean;
  readonly retryAfterS: number;
  now(): number;
  /** Live stream timing; defaults suit production. */
  readonly live?: { pollIntervalMs?: number; heartbeatMs?: number; recheckMs?: number };
  logError(fields: Record<string, unknown>, message: string): void;
}

/** Registers every read route; returns the live streams, to end them on shutdown. */
export function registerReadApi(app: FastifyInstance, deps: ReadApiDeps): LiveStreams {
  const store = createReadModelStore(deps.redis, deps.keys);
  registerReadRoutes(app, { store, tokens: deps.tokens });
  registerJobsRoute(app, { store, tokens: deps.tokens, submit: deps.submitJob, isUnavailable: deps.isUnavailable, retryAfterS: deps.retryAfterS, now: deps.now });
  return registerEventsRoute(app, { store, tokens: deps.tokens, ...deps.live, logError: deps.logError });
}
