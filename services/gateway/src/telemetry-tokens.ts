/**
 * API tokens for POST /v1/telemetry. A token is `<tokenId>.<secret>`: the id says which entry to
 * check, the secret (32 random bytes, base64url) proves the caller holds it. The gateway keeps only
 * the secret's SHA-256: a leaked tokens file admits nobody, and a fast hash is enough because the
 * secret has 256 bits of entropy (no dictionary to try). Each token is bound to one tenant and,
 * optionally, to asset id patterns. Pure: the file is read by `telemetry-tokens-config.ts`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** One entry of the tokens file, as `npm run maestro -- token add` writes it. */
export interface TokenEntry {
  /** The tenant every signal sent with this token is reported for. */
  readonly tenant: string;
  /** Hex SHA-256 of the token's secret. */
  readonly sha256: string;
  /** Asset id globs (`*` any run of characters, `?` one); empty: every asset of the tenant. */
  readonly assets: readonly string[];
}

/** Who a valid token speaks for. */
export interface TelemetryPrincipal {
  readonly tokenId: string;
  readonly tenant: string;
  /** True when the token may report for `assetId`. */
  covers(assetId: string): boolean;
}

/** The compiled tokens file. */
export interface TokenStore {
  readonly size: number;
  /** The principal of a presented token, or null when it is unknown or its secret is wrong. */
  verify(token: string): TelemetryPrincipal | null;
}

/** Token ids: the caller-id alphabet without `.`, which separates id and secret. */
export const TOKEN_ID = /^[A-Za-z0-9][A-Za-z0-9_:@-]*$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh token for `tokenId`: the text to hand to the caller once, and the hash to store. */
export function newToken(tokenId: string): { token: string; sha256: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${tokenId}.${secret}`, sha256: hashSecret(secret) };
}

/** A glob as an anchored RegExp; everything but `*` and `?` matches itself. */
export function compileGlob(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** Compiles the file's entries; throws naming the first bad one. */
export function compileTokenStore(entries: Readonly<Record<string, TokenEntry>>): TokenStore {
  const compiled = new Map<string, { entry: TokenEntry; hash: Buffer; patterns: RegExp[] }>();
  for (const [tokenId, entry] of Object.entries(entries)) {
    if (!TOKEN_ID.test(tokenId)) throw new Error(`token id '${tokenId}' must start with a letter or digit and use only letters, digits and _ : @ -`);
    if (!/^[0-9a-f]{64}$/.test(entry.sha256)) throw new Error(`token '${tokenId}': sha256 must be 64 lower-case hex digits`);
    if (entry.tenant === '') throw new Error(`token '${tokenId}': tenant must not be empty`);
    compiled.set(tokenId, { entry, hash: Buffer.from(entry.sha256, 'hex'), patterns: entry.assets.map(compileGlob) });
  }
  return {
    size: compiled.size,
    verify(token) {
      const dot = token.lastIndexOf('.');
      if (dot <= 0) return null;
      const tokenId = token.slice(0, dot);
      const found = compiled.get(tokenId);
      if (!found) return null;
      // Constant time in the secret: the hashes have a fixed length whatever the caller sends.
      if (!timingSafeEqual(Buffer.from(hashSecret(token.slice(dot + 1)), 'hex'), found.hash)) return null;
      const { patterns } = found;
      return {
        tokenId,
        tenant: found.entry.tenant,
        covers: (assetId) => patterns.length === 0 || patterns.some((p) => p.test(assetId)),
      };
    },
  };
}
