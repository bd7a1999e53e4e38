/**
 * Keeping a snapshot source's last good answer, so a flapping endpoint or a file caught mid-write
 * does not make every asset it lists look gone. After `keepLastGoodMs` without a good answer the
 * source is taken at its word that it knows nothing, and the registry's removal grace starts.
 *
 * At start there is nothing to keep: a source that fails then rejects its polls (the registry
 * keeps what it rebuilt from the topic) for `keepLastGoodMs` from its first poll, and only then
 * serves an empty snapshot. One rule for both cases: a source that went dark is trusted for
 * `keepLastGoodMs`, then the removal grace applies.
 */
import type { DiscoveredAsset, PollReport, ProviderProblem } from '../domain/index';
import { DiscoveryProviderError } from '../domain/index';

/** The keeper's interface; one per provider. */
export interface SnapshotKeeper {
  /** Records a good answer (entry problems included) and returns what to serve: the answer. */
  succeed(nowMs: number, assets: DiscoveredAsset[], problems: readonly ProviderProblem[]): DiscoveredAsset[];
  /**
   * Records a failed poll and returns what to serve: the last good snapshot while it is young
   * enough, else an empty one.
   * @throws DiscoveryProviderError while the source has never answered and is within its grace.
   */
  fail(nowMs: number, problems: readonly ProviderProblem[]): DiscoveredAsset[];
  /** The report of the latest poll; `null` before the first. */
  lastPoll(): PollReport | null;
}

/** Creates the keeper of source `source`. */
export function createSnapshotKeeper(source: string, keepLastGoodMs: number): SnapshotKeeper {
  let firstPollAtMs: number | null = null;
  let lastGood: { readonly assets: DiscoveredAsset[]; readonly atMs: number } | null = null;
  let report: PollReport | null = null;

  const record = (atMs: number, outcome: PollReport['outcome'], served: DiscoveredAsset[], problems: readonly ProviderProblem[]) => {
    report = { source, atMs, outcome, assetCount: served.length, lastGoodAtMs: lastGood?.atMs ?? null, problems: [...problems] };
    return served;
  };

  return {
    succeed(nowMs, assets, problems) {
      firstPollAtMs ??= nowMs;
      lastGood = { assets, atMs: nowMs };
      return record(nowMs, 'fresh', assets, problems);
    },
    fail(nowMs, problems) {
      firstPollAtMs ??= nowMs;
      if (lastGood !== null && nowMs - lastGood.atMs <= keepLastGoodMs) return record(nowMs, 'cached', lastGood.assets, problems);
      if (lastGood === null && nowMs - firstPollAtMs <= keepLastGoodMs) {
        record(nowMs, 'unavailable', [], problems);
        throw new DiscoveryProviderError(source, problems);
      }
      return record(nowMs, 'expired', [], problems);
    },
    lastPoll: () => report,
  };
}
