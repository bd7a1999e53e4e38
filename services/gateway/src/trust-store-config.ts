/**
 * GATEWAY_TRUST_STORE: the path of a JSON file `{ "<callerId>": { publicKey, tenant, capabilities } }`,
 * compiled at boot. Anything wrong with it then (unreadable, not JSON, a bad entry, a key that does
 * not parse) is a ConfigError naming the variable, so the process stops at start rather than
 * refusing a caller forever. Afterwards the file is followed: a caller added with
 * `npm run maestro -- caller add` is admitted within a second, without a restart (json-file-field.ts).
 */
import type { Field } from '@maestro/runtime';
import { compileTrustStore, type TrustEntry, type TrustStore } from './domain';
import { jsonFileField, liveMap, type Reloading, type ReloadOptions } from './json-file-field';

/** A config field holding a compiled trust store; unset means an empty store (every protocol call is refused as unknown_caller). */
export function trustStoreFile(env: string, doc: string, options: ReloadOptions = {}): Field<Reloading<TrustStore>> {
  return jsonFileField<TrustStore>(env, doc, 'trust store', (data) => compileTrustStore(data === null ? {} : checkEntries(data)), liveMap, (store) => store.size, options);
}

function checkEntries(data: unknown): Record<string, TrustEntry> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('the trust store must be an object of callerId → {publicKey, tenant, capabilities}');
  const out: Record<string, TrustEntry> = {};
  for (const [caller, entry] of Object.entries(data as Record<string, unknown>)) {
    const e = entry as Partial<Record<keyof TrustEntry, unknown>> | null;
    const ok = typeof e === 'object' && e !== null && typeof e.publicKey === 'string' && typeof e.tenant === 'string' && e.tenant !== ''
      && Array.isArray(e.capabilities) && e.capabilities.every((c) => typeof c === 'string');
    if (!ok) throw new Error(`trust store entry '${caller}' must be {publicKey: string, tenant: string, capabilities: string[]}`);
    out[caller] = { publicKey: e.publicKey as string, tenant: e.tenant as string, capabilities: e.capabilities as string[] };
  }
  return out;
}
