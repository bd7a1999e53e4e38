import type { HealingMode } from './action';
import type { AssetInfo } from './anomaly';
import type { HealerSettings } from './config';
import type { DecisionDraft } from './decision';

/** One concurrency cap the action must fit under. */
export interface CapClaim {
  /** `global` or `region:<region>`; the adapter prefixes it into a Redis key. */
  readonly scope: string;
  readonly limit: number;
}

/**
 * Everything the adapter's one atomic Redis script needs, in the order it must check:
 * 1. `dedupeKey` already present → `duplicate` (checked first: a redelivery is a no-op whatever
 *    the cooldown says);
 * 2. if `enforceCooldown`, the asset's cooldown present → `cooldown` with its remaining TTL;
 * 3. for each cap, live slots (excluding `supersedes`) ≥ `limit` → `cap_reached` with the count;
 * 4. otherwise: set `dedupeKey` (TTL `dedupeTtlMs`), set the asset cooldown (TTL `cooldownMs`,
 *    also for escalations so follow-up anomalies stay quiet), remove `supersedes` from every cap
 *    and add `dedupeKey` to every cap with expiry `slotTtlMs` → `acquired`.
 * Nothing is written unless the result is `acquired`.
 */
export interface SlotClaim {
  readonly dedupeKey: string;
  readonly assetId: string;
  /** Dry-run claims should live under a separate key prefix: shadow mode then exercises cooldowns
   *  and caps exactly like live mode without ever holding back a live action. */
  readonly mode: HealingMode;
  readonly dedupeTtlMs: number;
  readonly cooldownMs: number;
  /** False for an escalation: the cooldown was set by this incident's own previous step. */
  readonly enforceCooldown: boolean;
  readonly caps: readonly CapClaim[];
  readonly slotTtlMs: number;
  /** The previous step's key, whose slot this escalation takes over; null for a first action. */
  readonly supersedes: string | null;
}

/** A cooldown or cap that holds an action back. */
export type HeldBack =
  | { readonly status: 'cooldown'; readonly remainingMs: number }
  | { readonly status: 'cap_reached'; readonly scope: string; readonly inFlight: number; readonly limit: number };

/**
 * What the atomic script reports back. A dry-run claim is never held back by a cooldown or cap (no
 * action ran, so nothing should be cooling down): it is `acquired`, with `wouldHold` saying what
 * live mode would have answered.
 */
export type SlotAcquisition =
  | { readonly status: 'acquired'; readonly wouldHold?: HeldBack }
  | { readonly status: 'duplicate' }
  | HeldBack;

/** Builds the claim for a draft. */
export function buildClaim(
  draft: DecisionDraft,
  asset: AssetInfo,
  settings: HealerSettings,
  escalation: { readonly supersedes: string } | null,
): SlotClaim {
  const caps: CapClaim[] = [{ scope: 'global', limit: settings.maxInFlightGlobal }];
  if (asset.region !== undefined) caps.push({ scope: `region:${asset.region}`, limit: settings.maxInFlightPerRegion });
  return {
    dedupeKey: draft.dedupeKey,
    assetId: draft.assetId,
    mode: draft.mode,
    dedupeTtlMs: settings.dedupeTtlMs,
    cooldownMs: settings.cooldownMs,
    enforceCooldown: escalation === null,
    caps,
    slotTtlMs: draft.expectedRecovery.withinMs + settings.slotGraceMs,
    supersedes: escalation?.supersedes ?? null,
  };
}
