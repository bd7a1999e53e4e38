/**
 * A plugin's discovery source (MAESTRO_PLUGINS) as a snapshot provider like the file and HTTP ones:
 * same asset-list format and validation, same last-good keeping. The plugin host contains each
 * poll, so a source that throws, misses its deadline or answers something other than a list is a
 * failed poll whose problem names the plugin, never an exception in the discovery loop.
 */
import type { FailureKind, PluginSource } from '@maestro/plugin-sdk/host';
import type { DiscoveryProvider, ProviderProblemCode } from '../domain/index';
import { pollProblem } from '../domain/index';
import { parseAssetList } from './asset-entry';
import { createSnapshotKeeper } from './last-good';

const PROBLEM_OF: Readonly<Record<FailureKind, ProviderProblemCode>> = { threw: 'read_failed', timed_out: 'timeout', over_budget: 'timeout', bad_answer: 'not_a_list' };

/** Options of {@link createPluginProvider}. */
export interface PluginProviderOptions {
  /** Deadline of one poll. */
  readonly timeoutMs: number;
  /** How long the last good snapshot is served while the source fails. */
  readonly keepLastGoodMs: number;
}

export function createPluginProvider(source: PluginSource, options: PluginProviderOptions): DiscoveryProvider {
  const keeper = createSnapshotKeeper(source.name, options.keepLastGoodMs);
  return {
    name: source.name,
    precedence: source.precedence,
    async poll(nowMs) {
      const answer = await source.poll(nowMs, options.timeoutMs);
      if (!answer.ok) return keeper.fail(nowMs, [pollProblem(PROBLEM_OF[answer.failure.kind], answer.failure.reason)]);
      const parsed = parseAssetList(answer.value, source.name, nowMs);
      return parsed.failed ? keeper.fail(nowMs, parsed.problems) : keeper.succeed(nowMs, parsed.assets, parsed.problems);
    },
    lastPoll: () => keeper.lastPoll(),
  };
}
