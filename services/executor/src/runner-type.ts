import type { Runner, SpecParser } from './domain';

/** What every runner may need from the executor, fixed at boot. */
export interface RunnerDeps {
  /** HMAC secret of webhook signatures; empty when none is configured. */
  readonly webhookSecret: string;
  /** Bound of a result's output excerpt. */
  readonly outputMaxBytes: number;
  now(): number;
}

/**
 * A kind of runner: reads its settings from the runner configuration (pure, at boot) and builds a
 * runner from them. The built-ins are `webhook` and `command`; a Kubernetes or cloud-API runner is
 * one more of these (docs/executor.md has an example).
 */
export interface RunnerType<S = unknown> extends SpecParser<S> {
  create(name: string, spec: S, deps: RunnerDeps): Runner;
  /** The longest one run can take with these settings, retries included; checked against the consumer's session at boot. */
  longestRunMs?(spec: S): number;
}
