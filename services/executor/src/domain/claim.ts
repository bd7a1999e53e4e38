/**
 * What the claim script found for an action id (see src/lua/claim-action.lua):
 * - `claimed`: nobody had it; this replica owns it under a lease;
 * - `taken_over`: a previous owner's lease lapsed while it was running the action (it died, or
 *   stalled past the lease): this replica owns it now, and must decide whether to run it again;
 * - `held`: another owner's lease is live: it is running the action now;
 * - `finished`: a result is stored but was never confirmed published (the owner died in between);
 * - `published`: done and reported: a redelivery.
 */
export type Claim =
  | { readonly status: 'claimed' }
  | { readonly status: 'taken_over'; readonly runs: number; readonly previousOwner: string }
  | { readonly status: 'held'; readonly owner: string; readonly remainingMs: number }
  | { readonly status: 'finished'; readonly resultJson: string }
  | { readonly status: 'published' };

/** What the executor does with an action, given its claim. */
export type ClaimStep =
  | { readonly kind: 'run' }
  | { readonly kind: 'expire'; readonly reason: string }
  | { readonly kind: 'record_unknown'; readonly reason: string }
  | { readonly kind: 'republish'; readonly resultJson: string }
  | { readonly kind: 'skip_duplicate'; readonly reason: string }
  | { readonly kind: 'wait'; readonly reason: string };

/**
 * Once-only execution across redelivery and crashes. The deliberate choice is for `taken_over`:
 * the previous owner may have carried the action out, partly or fully, before it died. An
 * idempotent runner (a webhook, whose receiver dedupes on the Idempotency-Key, which is the action
 * id) runs it again, so the action completes. Any other runner (a command, by default) does not:
 * the action gets an `unknown` result, and the healer's recovery check, which watches the metric,
 * decides whether it worked. Running a restart script twice is worse than not knowing.
 *
 * A fresh claim on an action decided more than `maxAgeMs` ago is not run either: the situation it
 * answered has moved on (an executor deployed for the first time reads `healing.actions` from the
 * beginning, up to 7 days back), and the healer has judged it by its recovery window since.
 */
export function planAfterClaim(
  claim: Claim,
  runner: { readonly name: string; readonly idempotent: boolean } | null,
  age: { readonly ageMs: number; readonly maxAgeMs: number } = { ageMs: 0, maxAgeMs: Infinity },
): ClaimStep {
  switch (claim.status) {
    case 'claimed':
      if (age.ageMs > age.maxAgeMs) return { kind: 'expire', reason: `decided ${age.ageMs} ms ago, more than EXECUTOR_MAX_ACTION_AGE_MS (${age.maxAgeMs}): too old to carry out` };
      return { kind: 'run' };
    case 'taken_over':
      if (runner === null || runner.idempotent) return { kind: 'run' };
      return {
        kind: 'record_unknown',
        reason: `executor ${claim.previousOwner} stopped while running it (run ${claim.runs - 1}); runner ${runner.name} is not idempotent, so it is not run again and its outcome is unknown`,
      };
    case 'held':
      return { kind: 'wait', reason: `executor ${claim.owner} is running it (lease ${claim.remainingMs} ms left)` };
    case 'finished':
      return { kind: 'republish', resultJson: claim.resultJson };
    case 'published':
      return { kind: 'skip_duplicate', reason: 'already carried out and reported (a redelivery): not acting twice' };
  }
}
