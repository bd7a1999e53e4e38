/**
 * Static file provider: a JSON array of assets (format in `asset-entry.ts`) read on every poll, so an
 * operator's edit takes effect at the next poll without a restart. Highest default precedence: the
 * file is what an operator wrote on purpose.
 */
import { readFile } from 'node:fs/promises';
import type { DiscoveryProvider } from '../domain/index';
import { pollProblem } from '../domain/index';
import { parseAssetList } from './asset-entry';
import { createSnapshotKeeper } from './last-good';
import { failureMessage } from './failure-message';

/** Options of {@link createStaticFileProvider}. */
export interface StaticFileProviderOptions {
  /** Path of the JSON file. */
  readonly path: string;
  /** @default "static" */
  readonly name?: string;
  /** @default 300 */
  readonly precedence?: number;
  /**
   * How long the last good content is served while the file is missing or malformed. An editor that
   * writes in place exposes a half-written file for a moment; a deleted file is most often a
   * deployment in progress.
   * @default 900_000
   */
  readonly keepLastGoodMs?: number;
}

/** Creates a provider that reads `options.path` on each poll. */
export function createStaticFileProvider(options: StaticFileProviderOptions): DiscoveryProvider {
  const name = options.name ?? 'static';
  const keeper = createSnapshotKeeper(name, options.keepLastGoodMs ?? 900_000);
  return {
    name,
    precedence: options.precedence ?? 300,
    async poll(nowMs) {
      let text: string;
      try {
        text = await readFile(options.path, 'utf8');
      } catch (err: unknown) {
        return keeper.fail(nowMs, [pollProblem('read_failed', `cannot read ${options.path}: ${failureMessage(err)}`)]);
      }
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (err: unknown) {
        return keeper.fail(nowMs, [pollProblem('malformed_json', `${options.path} is not valid JSON: ${failureMessage(err)}`)]);
      }
      const parsed = parseAssetList(document, name, nowMs);
      return parsed.failed ? keeper.fail(nowMs, parsed.problems) : keeper.succeed(nowMs, parsed.assets, parsed.problems);
    },
    lastPoll: () => keeper.lastPoll(),
  };
}
