/**
 * The contract between the executor and the code that carries an action out. Built-in runners are
 * `webhook` and `command`; others (Kubernetes, a cloud API) implement `Runner` and register a
 * `RunnerType` (see docs/executor.md).
 */

/** The action as a runner receives it: the wire record, with its params decoded where they hold JSON. */
export interface RunRequest {
  readonly actionId: string;
  readonly anomalyId: string;
  readonly assetId: string;
  readonly strategy: string;
  /** 1 for the first strategy of an incident, 2 and more after escalation. */
  readonly attempt: number;
  readonly decidedAtMs: number;
  readonly reasons: readonly string[];
  /** The action's params; a value that was JSON on the wire (the runbook's `webhook`) is parsed. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly tenant: string | null;
}

/** Machine-readable reasons of a failed or unknown outcome; `errorCode` in the result record. */
export const RUN_ERROR_CODES = [
  'timeout', 'exit_code', 'http_status', 'unreachable', 'spawn_failed', 'no_runner', 'bad_params', 'interrupted', 'runner_error', 'expired',
] as const;
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

/** What one run came to. `output` is already an excerpt (see `createOutputExcerpt`). */
export type RunOutcome =
  | { readonly status: 'succeeded'; readonly attempts: number; readonly output: string; readonly detail: string }
  | { readonly status: 'failed'; readonly attempts: number; readonly output: string; readonly errorCode: RunErrorCode; readonly error: string };

/** Carries actions out. `run` must resolve (never reject) and must stop when `signal` aborts. */
export interface Runner {
  /** The name it is configured under; recorded in every result. */
  readonly name: string;
  /**
   * True when running the same action twice has the effect of running it once (the webhook runner:
   * the receiver dedupes on the Idempotency-Key). After an executor died mid-run, an idempotent
   * runner runs the action again; any other gets an `unknown` result instead of a second run.
   */
  readonly idempotent: boolean;
  run(request: RunRequest, signal: AbortSignal): Promise<RunOutcome>;
}
