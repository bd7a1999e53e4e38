/**
 * The schema registry's client as the services and the CLI build it: the configured basic
 * authentication, and a bound on every request. The client library sets no bound of its own, so a
 * registry that accepted a connection and never answered left a service waiting before it was ready,
 * with nothing logged after "topics created". With the bound the request fails with
 * {@link isRegistryTimeout}; registering a schema tries again (codecs.ts), and a consumer's lookup of
 * a writer's schema fails as REGISTRY_UNAVAILABLE, which retries its batch.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { TimeoutMiddleware } from 'mappersmith/middleware/timeout';

export interface RegistryClientOptions {
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
  /** Longest one request may take. */
  readonly requestTimeoutMs: number;
}

export function createRegistryClient({ url, auth, requestTimeoutMs }: RegistryClientOptions): SchemaRegistry {
  return new SchemaRegistry({ host: url, ...(auth ? { auth } : {}), middlewares: [TimeoutMiddleware(requestTimeoutMs)] });
}

/** How the client library words a request that hit the bound: "Timeout (<n>ms)". */
export const REGISTRY_TIMEOUT = /\bTimeout \(\d+ms\)/;

/** Whether a registry call failed on the request bound. */
export function isRegistryTimeout(error: unknown): boolean {
  return error instanceof Error && REGISTRY_TIMEOUT.test(error.message);
}
