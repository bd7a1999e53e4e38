/**
 * What every view of a signed-in console shares about its session: whether the gateway is known to
 * be unreachable (the header's banner says so once; a view's own failure then only points at it),
 * and where a 401 goes (any call refused 401 ends the session: the token was revoked or replaced).
 */
import { createContext } from 'preact';
import type { ApiError } from './api-error';

export interface Session {
  /** True while the live stream cannot reach the gateway and the header's banner says so. */
  readonly gatewayUnreachable: boolean;
  /** Ends the session because the gateway refused its token. */
  unauthorized(error: ApiError): void;
}

export const SessionContext = createContext<Session>({ gatewayUnreachable: false, unauthorized: () => undefined });
