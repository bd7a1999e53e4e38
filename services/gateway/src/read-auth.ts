/**
 * Who is reading: the read API, the live stream and job submission take the same credential as
 * POST /v1/telemetry, an API token made by `npm run maestro -- token add`, sent as
 * `Authorization: Bearer <tokenId>.<secret>`. The token's tenant scopes every read: a caller sees
 * its tenant's records and nothing of another's (an id of another tenant answers 404, like an id
 * that does not exist). Pure: the verifier is the token store the gateway compiled at boot.
 */
import { refuse, type Refusal } from './domain';

/** The part of the gateway's token store this module needs: a presented token's tenant, or null. */
export interface TokenVerifier {
  verify(token: string): { readonly tenant: string } | null;
}

/** A caller the read API accepted. */
export interface Reader {
  readonly tenant: string;
}

/** The reader behind an Authorization header, or the refusal to send. */
export function authenticateReader(authorization: string | undefined, tokens: TokenVerifier): Reader | Refusal {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) {
    return refuse('missing_credential', [authorization ? 'the Authorization header is not "Bearer <token>"' : 'send Authorization: Bearer <token>; make a token with npm run maestro -- token add']);
  }
  const principal = tokens.verify(match[1]!);
  if (!principal) return refuse('invalid_credential', ['the token is unknown or its secret does not match']);
  return { tenant: principal.tenant };
}

/** True for a refusal rather than a reader. */
export function isRefusal(value: Reader | Refusal): value is Refusal {
  return 'refused' in value;
}
