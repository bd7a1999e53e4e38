/**
 * A plugin's runner type (MAESTRO_PLUGINS) as the executor's own: EXECUTOR_RUNNERS names it by its
 * `type` like `webhook` or `command`. The plugin checks its settings at boot (a refusal stops the
 * executor, naming the plugin and the entry); each run is contained by the plugin host, so a run
 * that throws, hangs past the type's timeout or answers nonsense is a failed result naming the
 * plugin, and the executor carries on.
 */
import type { JsonValue } from '@maestro/plugin-sdk';
import type { PluginRunnerType } from '@maestro/plugin-sdk/host';
import { excerptOf, RunnerConfigError, type RunOutcome } from '../domain';
import type { RunnerType } from '../runner-type';

export function pluginRunnerType(plugin: PluginRunnerType): RunnerType {
  return {
    type: plugin.type,
    parse(fields) {
      const { type: _type, ...settings } = fields.raw;
      try {
        return plugin.configure(settings as Readonly<Record<string, JsonValue>>);
      } catch (err: unknown) {
        throw new RunnerConfigError(fields.at, (err as Error).message);
      }
    },
    create(name, settings, deps) {
      return {
        name,
        idempotent: plugin.idempotent,
        async run(request): Promise<RunOutcome> {
          const answer = await plugin.run(request, settings, name);
          if (!answer.ok) {
            const errorCode = answer.failure.kind === 'timed_out' ? 'timeout' : 'runner_error';
            return { status: 'failed', attempts: 1, output: '', errorCode, error: answer.failure.reason };
          }
          const outcome = answer.value;
          const output = excerptOf(outcome.output ?? '', deps.outputMaxBytes);
          return outcome.status === 'succeeded'
            ? { status: 'succeeded', attempts: 1, output, detail: `plugin ${plugin.plugin}: ${outcome.detail ?? 'done'}` }
            : { status: 'failed', attempts: 1, output, errorCode: 'runner_error', error: `plugin ${plugin.plugin}: ${outcome.error}` };
        },
      };
    },
    longestRunMs: () => plugin.timeoutMs,
  };
}
