/** API tokens for POST /v1/telemetry in tests: a tokens file as `npm run maestro -- token add` writes it, and the bearer header of each token. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newToken, type TokenEntry } from '../../services/gateway/src/telemetry-tokens';

export interface TestTokens {
  /** For GATEWAY_TELEMETRY_TOKENS. */
  readonly path: string;
  /** Token id → `{ authorization: 'Bearer …' }`, ready to pass as request headers. */
  readonly headers: Readonly<Record<string, Record<string, string>>>;
}

export function writeTelemetryTokens(specs: Readonly<Record<string, { tenant: string; assets?: string[] }>>): TestTokens {
  const file: Record<string, TokenEntry> = {};
  const headers: Record<string, Record<string, string>> = {};
  for (const [tokenId, { tenant, assets = [] }] of Object.entries(specs)) {
    const { token, sha256 } = newToken(tokenId);
    file[tokenId] = { tenant, sha256, assets };
    headers[tokenId] = { authorization: `Bearer ${token}` };
  }
  const path = join(mkdtempSync(join(tmpdir(), 'maestro-tokens-')), 'tokens.json');
  writeFileSync(path, JSON.stringify(file));
  return { path, headers };
}
