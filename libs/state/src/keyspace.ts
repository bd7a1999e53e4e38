/**
 * All Redis key names are built here, so that a prefix change or a key audit touches one place.
 * Hash tags ({…}) keep one entity's keys in the same Redis Cluster slot, which multi-key Lua
 * scripts require.
 */
export interface Keyspace {
  readonly prefix: string;
  /** A key for one entity's piece of state, e.g. key('detector', 'state', assetId, metric). */
  key(service: string, kind: string, ...parts: string[]): string;
  /** A key shared by every entity of a service (global caps, counters). */
  global(service: string, name: string): string;
}

export function createKeyspace(prefix: string): Keyspace {
  return {
    prefix,
    key: (service, kind, ...parts) => `${prefix}${service}:${kind}:{${parts.join(':')}}`,
    global: (service, name) => `${prefix}${service}:${name}`,
  };
}
