/**
 * GATEWAY_TELEMETRY_TOKENS: the path of the JSON file `{ "<tokenId>": { tenant, sha256, assets } }`
 * that `npm run maestro -- token add` writes, compiled at boot and followed afterwards: a token added
 * while the gateway runs is accepted within a second (json-file-field.ts). Unset: no token is valid,
 * and every POST /v1/telemetry is refused 401.
 */
import type { Field } from '@maestro/runtime';
import { jsonFileField, type Reloading, type ReloadOptions } from './json-file-field';
import { compileTokenStore, type TokenEntry, type TokenStore } from './telemetry-tokens';

/** A config field holding the compiled telemetry tokens. */
export function telemetryTokensFile(env: string, doc: string, options: ReloadOptions = {}): Field<Reloading<TokenStore>> {
  return jsonFileField<TokenStore>(env, doc, 'telemetry tokens', (data) => compileTokenStore(data === null ? {} : checkEntries(data)), liveTokens, (tokens) => tokens.size, options);
}

/** A token store whose every use goes to the one `current` returns now. */
function liveTokens(current: () => TokenStore): TokenStore {
  return {
    get size() {
      return current().size;
    },
    verify: (token) => current().verify(token),
  };
}

function checkEntries(data: unknown): Record<string, TokenEntry> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('the telemetry tokens file must be an object of tokenId → {tenant, sha256, assets}');
  const out: Record<string, TokenEntry> = {};
  for (const [tokenId, entry] of Object.entries(data as Record<string, unknown>)) {
    const e = entry as Partial<Record<keyof TokenEntry, unknown>> | null;
    const assets = e?.assets ?? [];
    const ok = typeof e === 'object' && e !== null && typeof e.tenant === 'string' && typeof e.sha256 === 'string'
      && Array.isArray(assets) && assets.every((a) => typeof a === 'string' && a !== '');
    if (!ok) throw new Error(`telemetry token '${tokenId}' must be {tenant: string, sha256: string, assets?: string[]}`);
    out[tokenId] = { tenant: e.tenant as string, sha256: e.sha256 as string, assets: assets as string[] };
  }
  return out;
}
