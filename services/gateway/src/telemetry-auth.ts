/**
 * Who may report what on POST /v1/telemetry. A caller presents `Authorization: Bearer <token>`;
 * the token names its tenant and, optionally, the asset patterns it covers. Every signal of a batch
 * must be covered by the token and its asset must be the tenant's (or unowned, and then claimed:
 * see `asset-ownership-store.ts`). The codes below are the telemetry route's own: its refusals
 * share the protocol's shape (`refused: {stage, code, reasons}`) but not its catalog.
 */
import type { TelemetryPrincipal, TokenStore } from './telemetry-tokens';

/** Refusal codes of the telemetry route's credential and ownership checks, with their status. */
export const TELEMETRY_AUTH_CODES = {
  missing_credential: { status: 401, description: 'no Authorization: Bearer <token> header' },
  invalid_credential: { status: 401, description: 'the token is malformed, unknown, or its secret does not match' },
  asset_out_of_scope: { status: 403, description: 'a signal names an asset outside the token\'s asset patterns' },
  asset_owned_by_another_tenant: { status: 403, description: 'a signal names an asset that belongs to another tenant' },
} as const;

export type TelemetryAuthCode = keyof typeof TELEMETRY_AUTH_CODES;

export type Authentication =
  | { readonly ok: true; readonly principal: TelemetryPrincipal }
  | { readonly ok: false; readonly code: TelemetryAuthCode; readonly reason: string };

/** Checks the Authorization header against the token store. */
export function authenticateTelemetry(header: string | undefined, tokens: TokenStore): Authentication {
  if (header === undefined || header.trim() === '') {
    return { ok: false, code: 'missing_credential', reason: 'POST /v1/telemetry needs Authorization: Bearer <token> (npm run maestro -- token add)' };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const principal = match ? tokens.verify(match[1]!) : null;
  if (principal === null) return { ok: false, code: 'invalid_credential', reason: 'the bearer token is not valid' };
  return { ok: true, principal };
}

/** The assets of a batch the token does not cover, each once, in first-seen order. */
export function outOfScope(principal: TelemetryPrincipal, assetIds: readonly string[]): string[] {
  return [...new Set(assetIds)].filter((id) => !principal.covers(id));
}
