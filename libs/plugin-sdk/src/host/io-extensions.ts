/**
 * The asynchronous extension points, wrapped with a deadline each: discovery providers, executor
 * runner types and optimisation signals. They may do I/O; a call that throws, misses its deadline
 * or answers wrongly comes back as a failure the service turns into its own refusal (a failed poll,
 * a failed run, a signal left out), never as an exception.
 */
import type { AssetEntry, DiscoveryProvider } from '../points/discovery';
import type { RunOutcome, RunRequest, RunnerType } from '../points/executor';
import type { JsonValue } from '../points/json';
import type { OptimisationSignal, SignalReading, SignalSample } from '../points/optimizer';
import type { PluginDefinition } from '../plugin';
import { isRecord, show } from './answers';
import type { AnswerCheck, Containment, Contained } from './containment';

/** A plugin's discovery source, ready for discovery's snapshot keeper. */
export interface PluginSource {
  /** `<plugin>.<provider>`: discovery source names allow no slash. */
  readonly name: string;
  readonly plugin: string;
  readonly precedence: number;
  /** The source's list, or why there is none; never rejects. */
  poll(nowMs: number, deadlineMs: number): Promise<Contained<readonly AssetEntry[]>>;
}

/** Precedence of a plugin source that names none: below the file (300) and HTTP (200), above telemetry (100). */
export const DEFAULT_PLUGIN_PRECEDENCE = 150;

const entryList: AnswerCheck<readonly AssetEntry[]> = (answer) =>
  Array.isArray(answer) ? { ok: true, value: answer as AssetEntry[] } : { ok: false, problem: `expected an array of asset entries, got ${show(answer)}` };

export function discoverySources(plugins: readonly PluginDefinition[], containment: Containment): PluginSource[] {
  return plugins.flatMap((p) => (p.discoveryProviders ?? []).map((provider: DiscoveryProvider): PluginSource => {
    const site = { plugin: p.name, point: `discovery provider ${provider.name} list` };
    return {
      name: `${p.name}.${provider.name}`,
      plugin: p.name,
      precedence: provider.precedence ?? DEFAULT_PLUGIN_PRECEDENCE,
      poll: (nowMs, deadlineMs) => containment.callAsync(site, (signal) => provider.list({ nowMs, signal }), entryList, deadlineMs),
    };
  }));
}

/** A plugin's runner type, ready for the executor's runner table. */
export interface PluginRunnerType {
  readonly type: string;
  readonly plugin: string;
  readonly idempotent: boolean;
  readonly timeoutMs: number;
  /** Checks one runner's settings at boot. @throws Error naming the plugin when the plugin refuses them. */
  configure(settings: Readonly<Record<string, JsonValue>>): unknown;
  /** One run; never rejects. */
  run(request: RunRequest, settings: unknown, runnerName: string): Promise<Contained<RunOutcome>>;
}

/** Default longest run of a plugin runner, like the command runner's. */
export const DEFAULT_RUNNER_TIMEOUT_MS = 60_000;

const runOutcome: AnswerCheck<RunOutcome> = (answer) => {
  if (!isRecord(answer)) return { ok: false, problem: `expected { status, ... }, got ${show(answer)}` };
  const optionalText = (key: string) => answer[key] === undefined || typeof answer[key] === 'string';
  if (answer.status === 'succeeded' && optionalText('detail') && optionalText('output')) return { ok: true, value: answer as unknown as RunOutcome };
  if (answer.status === 'failed' && typeof answer.error === 'string' && answer.error !== '' && optionalText('output')) return { ok: true, value: answer as unknown as RunOutcome };
  return { ok: false, problem: `expected { status: "succeeded", detail?, output? } or { status: "failed", error, output? }, got ${show(answer)}` };
};

export function runnerTypes(plugins: readonly PluginDefinition[], containment: Containment): PluginRunnerType[] {
  return plugins.flatMap((p) => (p.runners ?? []).map((runner: RunnerType<unknown>): PluginRunnerType => {
    const site = { plugin: p.name, point: `runner ${runner.type} run` };
    const timeoutMs = runner.timeoutMs ?? DEFAULT_RUNNER_TIMEOUT_MS;
    return {
      type: runner.type,
      plugin: p.name,
      idempotent: runner.idempotent ?? false,
      timeoutMs,
      configure(settings) {
        if (runner.configure === undefined) return settings;
        try {
          return runner.configure(settings);
        } catch (err: unknown) {
          throw new Error(`plugin ${p.name} refused the settings of its runner type ${runner.type}: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
      run: (request, settings, runnerName) => containment.callAsync(site, (signal) => runner.run(request, { settings, runnerName, signal }), runOutcome, timeoutMs),
    };
  }));
}

/** A custom signal as the optimiser's core takes it. */
export interface MeasuredSignal {
  /** `<plugin>/<signal>`. */
  readonly name: string;
  readonly value: number;
  readonly target: number;
  readonly weight: number;
}

const reading: AnswerCheck<SignalReading | null> = (answer) => {
  if (answer === null) return { ok: true, value: null };
  if (!isRecord(answer)) return { ok: false, problem: `expected { value, target, weight? } or null, got ${show(answer)}` };
  const { value, target, weight = 1 } = answer;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) return { ok: false, problem: `value must be a finite number >= 0, got ${show(value)}` };
  if (!(typeof target === 'number' && Number.isFinite(target) && target > 0)) return { ok: false, problem: `target must be > 0, got ${show(target)}` };
  if (!(typeof weight === 'number' && weight >= 0 && weight <= 1)) return { ok: false, problem: `weight must be in [0, 1], got ${show(weight)}` };
  return { ok: true, value: { value, target, weight } };
};

/** Every plugin signal of one sample, measured at once; a failed signal is left out (and recorded). */
export type SignalMeter = (sample: SignalSample) => Promise<MeasuredSignal[]>;

export function signalMeter(plugins: readonly PluginDefinition[], containment: Containment): SignalMeter | null {
  const signals = plugins.flatMap((p) => (p.optimisationSignals ?? []).map((s: OptimisationSignal) => ({ plugin: p.name, signal: s })));
  if (signals.length === 0) return null;
  return async (sample) => {
    const answers = await Promise.all(signals.map(({ plugin, signal }) =>
      containment.callAsync({ plugin, point: `optimisation signal ${signal.name} measure` }, (abort) => signal.measure(sample, { signal: abort }), reading)));
    return answers.flatMap((answer, i) => {
      if (!answer.ok || answer.value === null) return [];
      const { plugin, signal } = signals[i]!;
      return [{ name: `${plugin}/${signal.name}`, value: answer.value.value, target: answer.value.target, weight: answer.value.weight ?? 1 }];
    });
  };
}
