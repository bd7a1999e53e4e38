/** An in-memory stand-in with the contract of the Redis ownership store (asset-ownership-store.ts), for tests of the HTTP adapter; the Lua script itself runs against Redis in test/telemetry-loop. */
import type { AssetOwnershipStore } from '../src/asset-ownership-store';

export function memoryOwnership(initial: Record<string, string> = {}): AssetOwnershipStore & { owners: Map<string, string> } {
  const owners = new Map(Object.entries(initial));
  return {
    owners,
    async claimOrCheck(tenant, assetIds) {
      const foreign = new Map(assetIds.flatMap((id) => {
        const owner = owners.get(id);
        return owner !== undefined && owner !== tenant ? [[id, owner] as const] : [];
      }));
      if (foreign.size > 0) return { foreign, claimed: [] };
      const claimed = assetIds.filter((id) => !owners.has(id));
      for (const id of claimed) owners.set(id, tenant);
      return { foreign, claimed };
    },
  };
}
