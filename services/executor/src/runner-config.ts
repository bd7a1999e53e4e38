import { readFileSync } from 'node:fs';
import { ConfigError } from '@maestro/runtime';
import { RunnerConfigError, resolveRunnerTable, runnerNameFor, type Runner, type RunnerTable } from './domain';
import type { RunnerDeps, RunnerType } from './runner-type';

/**
 * The runner table from EXECUTOR_RUNNERS (inline JSON) or EXECUTOR_RUNNERS_FILE (a JSON file), never
 * both. A problem stops the executor at boot as a ConfigError naming the variable and the JSON path.
 */
export function loadRunnerTable(source: { inline: string; file: string }, types: readonly RunnerType[]): RunnerTable {
  if (source.inline && source.file) throw new ConfigError('EXECUTOR_RUNNERS', 'set either EXECUTOR_RUNNERS or EXECUTOR_RUNNERS_FILE, not both');
  const variable = source.file ? 'EXECUTOR_RUNNERS_FILE' : 'EXECUTOR_RUNNERS';
  let text = source.inline || '{}';
  if (source.file) {
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (err) {
      throw new ConfigError(variable, `cannot read ${source.file}: ${(err as Error).message}`);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(variable, `is not JSON: ${(err as Error).message}`);
  }
  try {
    return resolveRunnerTable(raw, types);
  } catch (err) {
    if (err instanceof RunnerConfigError) throw new ConfigError(variable, err.message);
    throw err;
  }
}

/**
 * Runners whose longest run outlasts the consumer's session (`sessionMs`). A batch runs its actions
 * inside the consumer's batch callback, during which kafkajs sends no heartbeat: a longer run makes
 * the group move the partition. The claim keeps that safe (the new owner waits on the live lease and
 * then finds the action reported), but it costs a rebalance, so the executor warns at boot.
 */
export function runnersOutlastingSession(table: RunnerTable, types: readonly RunnerType[], sessionMs: number): { name: string; longestRunMs: number }[] {
  const byType = new Map(types.map((t) => [t.type, t]));
  return [...table.runners].flatMap(([name, { type, spec }]) => {
    const longestRunMs = byType.get(type)?.longestRunMs?.(spec) ?? 0;
    return longestRunMs > sessionMs ? [{ name, longestRunMs }] : [];
  });
}

/** Builds every configured runner once; returns the lookup by strategy the handler uses. */
export function buildRunners(table: RunnerTable, types: readonly RunnerType[], deps: RunnerDeps): (strategy: string) => Runner | null {
  const byType = new Map(types.map((t) => [t.type, t]));
  const runners = new Map<string, Runner>();
  for (const [name, { type, spec }] of table.runners) {
    try {
      runners.set(name, byType.get(type)!.create(name, spec, deps));
    } catch (err) {
      throw new ConfigError('EXECUTOR_RUNNERS', (err as Error).message);
    }
  }
  return (strategy) => {
    const name = runnerNameFor(table, strategy);
    return name === undefined ? null : runners.get(name)!;
  };
}
