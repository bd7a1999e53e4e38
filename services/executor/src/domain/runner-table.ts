import { RunnerConfigError, isObject, specFields, type SpecFields } from './spec-fields';

/** How one runner type reads its settings; the type's factory then builds runners from them. */
export interface SpecParser<S = unknown> {
  readonly type: string;
  parse(fields: SpecFields): S;
}

/** The strategy name that matches every strategy without a runner of its own. */
export const ANY_STRATEGY = '*';

/** Which runner carries out which strategy, with every runner's settings checked. */
export interface RunnerTable {
  /** Runner name → its type and parsed settings. */
  readonly runners: ReadonlyMap<string, { readonly type: string; readonly spec: unknown }>;
  /** Strategy name (or `*`) → runner name. */
  readonly strategies: ReadonlyMap<string, string>;
}

/**
 * Reads the executor's runner configuration (EXECUTOR_RUNNERS or the file EXECUTOR_RUNNERS_FILE):
 *
 *   { "runners":    { "<name>": { "type": "webhook" | "command" | <plugin type>, ...settings } },
 *     "strategies": { "<strategy>" | "*": "<runner name>" } }
 *
 * Throws a RunnerConfigError naming the JSON path of the first problem: an unknown type, a strategy
 * pointing at a runner that does not exist, a bad setting. All of these would otherwise surface
 * mid-incident, as an action nobody can carry out.
 */
export function resolveRunnerTable(raw: unknown, parsers: readonly SpecParser[]): RunnerTable {
  if (!isObject(raw)) throw new RunnerConfigError('$', 'must be an object with "runners" and "strategies"');
  for (const key of Object.keys(raw)) if (key !== 'runners' && key !== 'strategies') throw new RunnerConfigError(`$.${key}`, 'is not known (runners, strategies)');
  const byType = new Map(parsers.map((p) => [p.type, p]));
  const runnersRaw = raw.runners ?? {};
  const strategiesRaw = raw.strategies ?? {};
  if (!isObject(runnersRaw)) throw new RunnerConfigError('$.runners', 'must be an object of runner name to settings');
  if (!isObject(strategiesRaw)) throw new RunnerConfigError('$.strategies', 'must be an object of strategy name to runner name');

  const runners = new Map<string, { type: string; spec: unknown }>();
  for (const [name, spec] of Object.entries(runnersRaw)) {
    const at = `$.runners.${name}`;
    if (!isObject(spec)) throw new RunnerConfigError(at, 'must be an object');
    const parser = typeof spec.type === 'string' ? byType.get(spec.type) : undefined;
    if (!parser) throw new RunnerConfigError(`${at}.type`, `must be one of ${[...byType.keys()].join(', ')}, got ${JSON.stringify(spec.type)}`);
    runners.set(name, { type: parser.type, spec: parser.parse(specFields(spec, at)) });
  }
  const strategies = new Map<string, string>();
  for (const [strategy, runner] of Object.entries(strategiesRaw)) {
    if (typeof runner !== 'string' || !runners.has(runner)) {
      throw new RunnerConfigError(`$.strategies.${strategy}`, `names runner ${JSON.stringify(runner)}, which is not under "runners" (${[...runners.keys()].join(', ') || 'none'})`);
    }
    strategies.set(strategy, runner);
  }
  return { runners, strategies };
}

/** The runner name for a strategy: its own entry, else `*`, else none. */
export function runnerNameFor(table: Pick<RunnerTable, 'strategies'>, strategy: string): string | undefined {
  return table.strategies.get(strategy) ?? table.strategies.get(ANY_STRATEGY);
}
