/**
 * GATEWAY_TRUST_STORE: the path of a JSON file `{ "<callerId>": { publicKey, tenant, capabilities } }`,
 * read and compiled once at boot. Anything wrong with it (unreadable, not JSON, a bad entry, a key
 * that does not parse) is a ConfigError naming the variable, so the process stops at start rather
 * than refusing a caller forever.
 */
import { ConfigError, type Field } from '@maestro/runtime';
import { compileTrustStore, type TrustEntry, type TrustStore } from './domain';
import { jsonFileField } from './json-file-field';

/** A config field holding a compiled trust store; unset means an empty store (every protocol call is refused as unknown_caller). */
export function trustStoreFile(env: string, doc: string): Field<TrustStore> {
  return jsonFileField(env, doc, 'trust store', (data) => compileTrustStore(data === null ? {} : checkEntries(env, data)));
}

function checkEntries(env: string, data: unknown): Record<string, TrustEntry> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(env, 'the trust store must be an object of callerId → {publicKey, tenant, capabilities}');
  const out: Record<string, TrustEntry> = {};
  for (const [caller, entry] of Object.entries(data as Record<string, unknown>)) {
    const e = entry as Partial<Record<keyof TrustEntry, unknown>> | null;
    const ok = typeof e === 'object' && e !== null && typeof e.publicKey === 'string' && typeof e.tenant === 'string' && e.tenant !== ''
      && Array.isArray(e.capabilities) && e.capabilities.every((c) => typeof c === 'string');
    if (!ok) throw new ConfigError(env, `trust store entry '${caller}' must be {publicKey: string, tenant: string, capabilities: string[]}`);
    out[caller] = { publicKey: e.publicKey as string, tenant: e.tenant as string, capabilities: e.capabilities as string[] };
  }
  return out;
}
