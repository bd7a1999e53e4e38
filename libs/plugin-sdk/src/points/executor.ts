/**
 * The executor's extension point: a runner type, the code that carries a healing action out
 * (Kubernetes, a cloud API, a ticketing system). EXECUTOR_RUNNERS names runners of this type like
 * the built-in ones: `{"runners":{"k8s":{"type":"<type>", ...settings}},"strategies":{"restart":"k8s"}}`.
 */
import type { JsonValue } from './json';

/** The action as a runner receives it. */
export interface RunRequest {
  readonly actionId: string;
  readonly anomalyId: string;
  readonly assetId: string;
  readonly strategy: string;
  /** 1 for the first strategy of an incident, 2 and more after escalation. */
  readonly attempt: number;
  readonly decidedAtMs: number;
  readonly reasons: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly tenant: string | null;
}

/** What one run came to. `output` is cut to EXECUTOR_OUTPUT_MAX_BYTES in the result record. */
export type RunOutcome =
  | { readonly status: 'succeeded'; readonly detail?: string; readonly output?: string }
  | { readonly status: 'failed'; readonly error: string; readonly output?: string };

/** What a run is given besides the action. */
export interface RunContext<S> {
  /** The runner's settings, as `configure` returned them. */
  readonly settings: S;
  /** The name EXECUTOR_RUNNERS gives this runner. */
  readonly runnerName: string;
  /** Aborted when the run's timeout passes: stop what the run started. */
  readonly signal: AbortSignal;
}

/** A kind of runner. */
export interface RunnerType<S = Readonly<Record<string, JsonValue>>> {
  /** The `type` EXECUTOR_RUNNERS entries name; must not be `webhook` or `command`. */
  readonly type: string;
  /**
   * True only if carrying the same action out twice has the effect of once: after an executor died
   * mid-run, an idempotent runner runs the action again, any other reports `unknown`. @default false
   */
  readonly idempotent?: boolean;
  /** Longest run; then the signal aborts and the result is a `timeout` failure. @default 60_000 */
  readonly timeoutMs?: number;
  /**
   * Checks one runner's settings (its EXECUTOR_RUNNERS entry without `type`) at boot and returns
   * them as the runs will use them; throw to refuse them (the executor then does not start, naming
   * the plugin and the entry). Absent: the settings are passed as they are.
   */
  configure?(settings: Readonly<Record<string, JsonValue>>): S;
  run(request: RunRequest, ctx: RunContext<S>): Promise<RunOutcome>;
}
