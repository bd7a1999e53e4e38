/**
 * The trust store: who may call, with which key, for which tenant and with which capabilities.
 * Loaded from config at boot and compiled once into parsed keys, so a request never parses PEM.
 */
import type { KeyObject } from 'node:crypto';
import { parsePublicKey } from './signature';

/** A caller as configured: the key as PEM (SPKI) or raw 32-byte base64. */
export interface TrustEntry {
  readonly publicKey: string;
  readonly tenant: string;
  /** Capabilities held, e.g. `map.maestro.goal.refine`; a trailing `.*` grants a whole prefix. */
  readonly capabilities: readonly string[];
}

/** An authenticated caller: what authorisation and auditing need to know. */
export interface Principal {
  readonly caller: string;
  readonly tenant: string;
  readonly capabilities: readonly string[];
}

/** A caller ready for verification. */
export interface TrustedCaller extends Principal {
  readonly publicKey: KeyObject;
}

/** Caller id → trusted caller. */
export type TrustStore = ReadonlyMap<string, TrustedCaller>;

/**
 * Compiles configured entries into a trust store. Throws naming the caller whose key does not
 * parse: a bad trust store must stop the gateway at start, not refuse that caller forever.
 */
export function compileTrustStore(entries: Readonly<Record<string, TrustEntry>>): TrustStore {
  const store = new Map<string, TrustedCaller>();
  for (const [caller, entry] of Object.entries(entries)) {
    let publicKey: KeyObject;
    try {
      publicKey = parsePublicKey(entry.publicKey);
    } catch (err) {
      throw new Error(`trust store: caller '${caller}' has an unusable public key: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    store.set(caller, { caller, tenant: entry.tenant, capabilities: [...entry.capabilities], publicKey });
  }
  return store;
}
