import { spawn } from 'node:child_process';
import { checkTemplate, createOutputExcerpt, fillTemplate, MissingParamError, type RunOutcome, type RunRequest } from '../domain';
import type { RunnerDeps, RunnerType } from '../runner-type';

/** Settings of a command runner. */
export interface CommandSpec {
  /** The program: an absolute path, or a name looked up on the executor's PATH. Never a shell line. */
  readonly command: string;
  /** Arguments, each one argv entry after placeholders are filled (see domain/placeholders.ts). */
  readonly args: readonly string[];
  /** Environment of the program, on top of PATH and the MAESTRO_* variables; values take placeholders. */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory; absent: the executor's. */
  readonly cwd: string | undefined;
  /** Longest run; then the whole process group gets SIGTERM, and SIGKILL `killGraceMs` later. @default 60_000 */
  readonly timeoutMs: number;
  /** @default 2_000 */
  readonly killGraceMs: number;
  /** True only if running the program twice for one action is harmless. @default false */
  readonly idempotent: boolean;
}

/**
 * Runs a configured program with arguments and environment, without a shell, in a process group of
 * its own so a timeout kills what it started too. Exit 0 is success; anything else is a failure with
 * its code. stdout and stderr go into one bounded excerpt (head and tail). The program sees only
 * PATH, its configured variables and MAESTRO_ACTION_ID, MAESTRO_ASSET_ID, MAESTRO_STRATEGY and
 * MAESTRO_ACTION (the action as JSON), never the executor's own environment (its secrets).
 */
export const commandRunnerType: RunnerType<CommandSpec> = {
  type: 'command',
  parse(f) {
    f.only(['command', 'args', 'env', 'cwd', 'timeoutMs', 'killGraceMs', 'idempotent']);
    const args = f.stringList('args');
    args.forEach((a, i) => checkTemplate(a, `${f.at}.args[${i}]`));
    const env = f.stringMap('env');
    for (const [k, v] of Object.entries(env)) checkTemplate(v, `${f.at}.env.${k}`);
    return {
      command: f.string('command'), args, env, cwd: f.optionalString('cwd'),
      timeoutMs: f.integer('timeoutMs', { default: 60_000, min: 1 }),
      killGraceMs: f.integer('killGraceMs', { default: 2_000, min: 0 }),
      idempotent: f.boolean('idempotent', false),
    };
  },
  longestRunMs: (spec) => spec.timeoutMs + spec.killGraceMs,
  create(name, spec, deps) {
    return { name, idempotent: spec.idempotent, run: (request, signal) => runCommand(spec, deps, request, signal) };
  },
};

function runCommand(spec: CommandSpec, deps: RunnerDeps, request: RunRequest, signal: AbortSignal): Promise<RunOutcome> {
  let args: string[];
  let env: Record<string, string>;
  try {
    args = spec.args.map((a) => fillTemplate(a, request));
    env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fillTemplate(v, request)]));
  } catch (err) {
    if (err instanceof MissingParamError) return Promise.resolve({ status: 'failed', attempts: 0, output: '', errorCode: 'bad_params', error: err.message });
    throw err;
  }
  const output = createOutputExcerpt(deps.outputMaxBytes);
  return new Promise((resolve) => {
    const child = spawn(spec.command, args, {
      cwd: spec.cwd, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', ...env,
        MAESTRO_ACTION_ID: request.actionId, MAESTRO_ASSET_ID: request.assetId, MAESTRO_STRATEGY: request.strategy, MAESTRO_ACTION: JSON.stringify(request),
      },
    });
    let timedOut = false;
    let interrupted = false;
    const killGroup = (sig: NodeJS.Signals) => {
      // Negative pid: the whole group, so a script's children die with it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, sig);
        } catch {
          /* already gone */
        }
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), spec.killGraceMs).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, spec.timeoutMs);
    const onAbort = () => {
      interrupted = true;
      stop();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => output.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.append(chunk));
    let settled = false;
    // A spawn failure emits 'error' and then 'close': the first one decides.
    const finish = (outcome: RunOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.once('error', (err) => finish({ status: 'failed', attempts: 1, output: output.text(), errorCode: 'spawn_failed', error: `${spec.command} could not start: ${err.message}` }));
    child.once('close', (code, sig) => {
      const text = output.text();
      if (timedOut) return finish({ status: 'failed', attempts: 1, output: text, errorCode: 'timeout', error: `${spec.command} ran past ${spec.timeoutMs} ms and was killed` });
      if (interrupted) return finish({ status: 'failed', attempts: 1, output: text, errorCode: 'interrupted', error: `${spec.command} was stopped by the executor's shutdown` });
      if (code === 0) return finish({ status: 'succeeded', attempts: 1, output: text, detail: `${spec.command} exited 0` });
      finish({ status: 'failed', attempts: 1, output: text, errorCode: 'exit_code', error: sig ? `${spec.command} was killed by ${sig}` : `${spec.command} exited with code ${code}` });
    });
  });
}
