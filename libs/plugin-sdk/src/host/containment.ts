/**
 * Containment: every call into plugin code goes through here, so that a plugin that throws, hangs,
 * runs over its budget or answers nonsense is recorded and its decision refused with the reason,
 * and never takes the service down.
 *
 * Two kinds of call. Decision hooks (strategies, policy hooks) run inside the services' pure,
 * synchronous cores; they are called synchronously, a throw or a bad answer fails them, and so does
 * a call that took longer than the budget (its answer is discarded). A synchronous call cannot be
 * interrupted from the same thread, so a hook that loops forever is outside what this can contain:
 * docs/plugins.md says so. I/O extension points (discovery providers, runners, signals) are async
 * and get a deadline: past it their AbortSignal aborts and the call fails as `timed_out`, whether
 * or not the plugin ever settles.
 */

/** How a plugin call failed; a label of `maestro_plugin_failures_total`. */
export const FAILURE_KINDS = ['threw', 'timed_out', 'over_budget', 'bad_answer'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Which plugin code is called: the plugin and the extension point, e.g. `healer policy hook deny-frozen`. */
export interface CallSite {
  readonly plugin: string;
  readonly point: string;
}

/** A failed call, with the sentence that goes into the refused decision and the audit record. */
export interface PluginFailure extends CallSite {
  readonly kind: FailureKind;
  /** `plugin <name> failed: <point> <what happened>`. */
  readonly reason: string;
}

/** A call's outcome: the checked answer, or the failure. */
export type Contained<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: PluginFailure };

/** Checks a plugin's answer; `problem` says what is wrong with it in words. */
export type AnswerCheck<T> = (answer: unknown) => { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export interface Containment {
  /** Budget of a synchronous call and deadline of an async one, unless the call names its own. */
  readonly timeoutMs: number;
  callSync<T>(site: CallSite, call: () => unknown, check: AnswerCheck<T>): Contained<T>;
  callAsync<T>(site: CallSite, call: (signal: AbortSignal) => unknown, check: AnswerCheck<T>, timeoutMs?: number): Promise<Contained<T>>;
}

export interface ContainmentOptions {
  /** @default 1_000 */
  readonly timeoutMs?: number;
  /** Told of every failure (metric, audit record); must not throw, and a throw is swallowed if it does. */
  onFailure(failure: PluginFailure): void;
  /** Monotonic milliseconds. @default performance.now */
  readonly clock?: () => number;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function createContainment(options: ContainmentOptions): Containment {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const clock = options.clock ?? (() => performance.now());

  const fail = <T>(site: CallSite, kind: FailureKind, what: string): Contained<T> => {
    const failure: PluginFailure = { plugin: site.plugin, point: site.point, kind, reason: `plugin ${site.plugin} failed: ${site.point} ${what}` };
    try {
      options.onFailure(failure);
    } catch {
      // Recording is best effort; the refusal below is what protects the decision.
    }
    return { ok: false, failure };
  };
  const checked = <T>(site: CallSite, answer: unknown, check: AnswerCheck<T>): Contained<T> => {
    const result = check(answer);
    return result.ok ? { ok: true, value: result.value } : fail(site, 'bad_answer', `answered wrongly: ${result.problem}`);
  };

  return {
    timeoutMs,
    callSync(site, call, check) {
      const startedAt = clock();
      let answer: unknown;
      try {
        answer = call();
      } catch (err: unknown) {
        return fail(site, 'threw', `threw: ${messageOf(err)}`);
      }
      if (isThenable(answer)) {
        // Nobody will await it; a later rejection must not become an unhandled one.
        Promise.resolve(answer).catch(() => undefined);
        return fail(site, 'bad_answer', 'returned a promise: this extension point answers synchronously');
      }
      const tookMs = clock() - startedAt;
      if (tookMs > timeoutMs) return fail(site, 'over_budget', `took ${Math.round(tookMs)} ms, over its ${timeoutMs} ms budget`);
      return checked(site, answer, check);
    },
    async callAsync(site, call, check, ownTimeoutMs) {
      const limitMs = ownTimeoutMs ?? timeoutMs;
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timed_out'>((resolve) => {
        timer = setTimeout(() => resolve('timed_out'), limitMs);
      });
      let pending: Promise<unknown>;
      try {
        pending = Promise.resolve(call(controller.signal));
      } catch (err: unknown) {
        clearTimeout(timer);
        return fail(site, 'threw', `threw: ${messageOf(err)}`);
      }
      const settled = pending.then((value) => ({ value }), (err: unknown) => ({ err }));
      try {
        const first = await Promise.race([settled, deadline]);
        if (first === 'timed_out') {
          controller.abort(new Error(`deadline of ${limitMs} ms passed`));
          return fail(site, 'timed_out', `did not answer within ${limitMs} ms`);
        }
        if ('err' in first) return fail(site, 'threw', `threw: ${messageOf(first.err)}`);
        return checked(site, first.value, check);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
