/**
 * Where the owner of each asset is kept: one Redis hash, asset id → tenant, shared by the gateway
 * (which claims unowned assets for the first authenticated reporter and refuses other tenants) and
 * discovery (which writes the tenant its sources name, overriding a claim). One key, not one per
 * asset: the gateway's claim of a whole batch is then a single-key script, valid on Redis Cluster too.
 * Only the key name lives here; the Redis calls are each service's adapter.
 */

/** The part of `@maestro/state`'s Keyspace this needs (kept structural: this library does no I/O). */
export interface GlobalKeys {
  global(service: string, name: string): string;
}

/** The hash of asset owners. */
export function assetOwnersKey(keys: GlobalKeys): string {
  return keys.global('telemetry', 'asset-owners');
}
