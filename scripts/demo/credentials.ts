/**
 * The demo's credentials, in the CLI's home (MAESTRO_HOME, default .maestro) so that the commands it
 * prints work as they are: a protocol caller `demo-agent` (kept across runs) and an API token `demo`
 * for telemetry, jobs, the read API and the console (made anew each run: only its hash is stored).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { newToken, type TokenEntry } from '../../services/gateway/src/telemetry-tokens';
import { addCaller, keyPath, readTrustStore, tokensPath, trustStorePath } from '../cli/credentials';
import type { DemoCaller } from './charter';

export const DEMO_TENANT = 'demo';
const CALLER_ID = 'demo-agent';
const TOKEN_ID = 'demo';

export interface DemoCredentials {
  readonly caller: DemoCaller;
  readonly token: string;
  readonly trustStore: string;
  readonly tokensFile: string;
}

export function ensureDemoCredentials(home: string): DemoCredentials {
  const known = readTrustStore(home)[CALLER_ID];
  if (!known || !existsSync(keyPath(home, CALLER_ID))) {
    addCaller({ home, gatewayUrl: '', out: () => {} }, { kind: 'caller-add', id: CALLER_ID, tenant: DEMO_TENANT, capabilities: ['map.maestro.*'] });
  } else if (known.tenant !== DEMO_TENANT) {
    throw new Error(`caller '${CALLER_ID}' in ${home} belongs to tenant '${known.tenant}', not '${DEMO_TENANT}'; remove it from ${trustStorePath(home)} or set MAESTRO_HOME`);
  }
  const path = tokensPath(home);
  const tokens = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, TokenEntry>) : {};
  const { token, sha256 } = newToken(TOKEN_ID);
  tokens[TOKEN_ID] = { tenant: DEMO_TENANT, sha256, assets: [] };
  // Renamed over, as the CLI does: a gateway that follows the file never reads half of it.
  writeFileSync(`${path}.demo.tmp`, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.demo.tmp`, path);
  return {
    caller: { id: CALLER_ID, tenant: DEMO_TENANT, privateKeyPem: readFileSync(keyPath(home, CALLER_ID), 'utf8') },
    token, trustStore: trustStorePath(home), tokensFile: path,
  };
}
