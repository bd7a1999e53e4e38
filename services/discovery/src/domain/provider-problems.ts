/**
 * The one catalog of problems a discovery provider reports. Logs, metrics labels and the provider
 * tests use these codes; no provider invents its own.
 *
 * `scope` says what a problem costs: a `poll` problem fails the whole poll (the provider then serves
 * its last good snapshot, see `last-good.ts`); an `entry` problem skips or trims one entry and the
 * rest of the snapshot stands. `retryable` says whether polling again unchanged may succeed.
 */
export const PROVIDER_PROBLEM_CODES = {
  read_failed: { scope: 'poll', retryable: true, description: 'The source could not be read: file missing or unreadable, connection refused or reset.' },
  timeout: { scope: 'poll', retryable: true, description: 'The endpoint did not answer within the configured timeout.' },
  http_status: { scope: 'poll', retryable: true, description: 'The endpoint answered with a status outside 2xx.' },
  malformed_json: { scope: 'poll', retryable: true, description: 'The body is not valid JSON (a file caught mid-write is retried).' },
  not_a_list: { scope: 'poll', retryable: false, description: 'The document is valid JSON but not an array of assets.' },
  no_valid_entries: {
    scope: 'poll',
    retryable: false,
    description: 'A non-empty list in which every entry is invalid: treated as a failed read (a format change), not as a source that lists nothing.',
  },
  no_snapshot: { scope: 'poll', retryable: true, description: 'The source has not answered since start and its startup grace has not elapsed: it has nothing to report yet.' },
  invalid_entry: { scope: 'entry', retryable: false, description: 'An entry is not a valid asset (no usable assetId, a field of the wrong type); it is skipped.' },
  duplicate_asset: { scope: 'entry', retryable: false, description: 'An asset id appears twice in one snapshot; the later entry is skipped.' },
  unknown_field: { scope: 'entry', retryable: false, description: 'An entry has a field discovery does not know (often a typo); the field is ignored, the entry kept.' },
} as const;

/** A problem code. */
export type ProviderProblemCode = keyof typeof PROVIDER_PROBLEM_CODES;

/** One thing that went wrong in one poll, with enough detail to fix the source. */
export interface ProviderProblem {
  readonly code: ProviderProblemCode;
  /** Human-readable: includes the offending field, status or limit, never a whole payload. */
  readonly message: string;
  /** Position of the offending entry in the list, for entry problems; else `null`. */
  readonly entryIndex: number | null;
  /** The offending entry's asset id when it has a usable one; else `null`. */
  readonly assetId: string | null;
}

/**
 * Rejects a poll that has nothing to report (code `no_snapshot`): the caller skips the source for
 * this round, and the registry keeps what that source said before. `problems` are the reasons.
 */
export class DiscoveryProviderError extends Error {
  readonly code: ProviderProblemCode;
  constructor(readonly source: string, readonly problems: readonly ProviderProblem[]) {
    super(`discovery source ${source} has no snapshot yet: ${problems.map((p) => p.message).join('; ') || 'no answer'}`);
    this.name = 'DiscoveryProviderError';
    this.code = 'no_snapshot';
  }
}

/** A problem about the whole poll (no entry). */
export function pollProblem(code: ProviderProblemCode, message: string): ProviderProblem {
  return { code, message, entryIndex: null, assetId: null };
}
