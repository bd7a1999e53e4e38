/**
 * Asset ownership for telemetry: every asset belongs to one tenant. Discovery writes the tenant its
 * sources name; an asset discovery does not know is claimed by the first tenant that reports it with
 * a valid token. A batch is checked and claimed in one script, so two tenants racing for a new asset
 * cannot both win, and a batch refused for one asset claims none of the others.
 */
import type { Keyspace, Redis } from '@maestro/state';
import { assetOwnersKey } from '@maestro/telemetry';

/*
 * KEYS[1]  the asset-owners hash (asset id → tenant)
 * ARGV[1]  the reporting tenant
 * ARGV[2..] the batch's distinct asset ids
 * Returns one entry per asset id: the owner before this call ('' when none). When every asset is
 * unowned or already the reporter's, the unowned ones are claimed (HSET); when any belongs to
 * another tenant nothing is written.
 */
const CLAIM_OR_CHECK = `
local owners = redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
local foreign = false
for i, owner in ipairs(owners) do
  if owner and owner ~= ARGV[1] then foreign = true end
end
if not foreign then
  for i, owner in ipairs(owners) do
    if not owner then redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[1]) end
  end
end
local out = {}
for i, owner in ipairs(owners) do out[i] = owner or '' end
return out`;

/** The outcome for a batch: the assets owned by another tenant (empty: the batch may go). */
export interface OwnershipVerdict {
  /** Asset id → its owner, for each asset the reporter does not own. */
  readonly foreign: ReadonlyMap<string, string>;
  /** Assets this call claimed for the reporter. */
  readonly claimed: readonly string[];
}

export interface AssetOwnershipStore {
  claimOrCheck(tenant: string, assetIds: readonly string[]): Promise<OwnershipVerdict>;
}

interface OwnershipCommands {
  telemetryClaimAssets(key: string, tenant: string, ...assetIds: string[]): Promise<string[]>;
}

export function createAssetOwnershipStore(redis: Redis, keys: Keyspace): AssetOwnershipStore {
  redis.defineCommand('telemetryClaimAssets', { numberOfKeys: 1, lua: CLAIM_OR_CHECK });
  const commands = redis as unknown as OwnershipCommands;
  const key = assetOwnersKey(keys);
  return {
    async claimOrCheck(tenant, assetIds) {
      if (assetIds.length === 0) return { foreign: new Map(), claimed: [] };
      const before = await commands.telemetryClaimAssets(key, tenant, ...assetIds);
      const foreign = new Map<string, string>();
      assetIds.forEach((id, i) => {
        const owner = before[i] ?? '';
        if (owner !== '' && owner !== tenant) foreign.set(id, owner);
      });
      const claimed = foreign.size > 0 ? [] : assetIds.filter((_, i) => (before[i] ?? '') === '');
      return { foreign, claimed };
    },
  };
}
