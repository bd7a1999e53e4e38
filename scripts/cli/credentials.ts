/**
 * The CLI's credentials in <home>: protocol callers (an ed25519 key pair each, the public half in the
 * trust store the gateway reads) and API tokens (only their SHA-256 is kept). `npm start` hands both
 * files to the gateway.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { rawPublicKeyBase64, type TrustEntry } from '../../services/gateway/src/domain';
import { newToken, type TokenEntry } from '../../services/gateway/src/telemetry-tokens';
import { UsageError } from './arguments';
import type { Command } from './commands';

export interface CliEnvironment {
  home: string;
  gatewayUrl: string;
  out(text: string): void;
}

export function trustStorePath(home: string): string {
  return join(home, 'trust.json');
}

export function keyPath(home: string, id: string): string {
  return join(home, 'callers', `${id}.pem`);
}

/**
 * Replaces a file the gateway follows while it runs (the trust store, the tokens): written aside and
 * renamed over, so the gateway never reads half of it.
 */
function replaceFile(path: string, text: string, mode: number): void {
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, text, { mode });
  renameSync(aside, path);
}

export function readTrustStore(home: string): Record<string, TrustEntry> {
  const path = trustStorePath(home);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, TrustEntry>) : {};
}

/** Creates the caller's key pair and trust-store entry; an existing caller id is refused, never overwritten. */
export function addCaller(env: CliEnvironment, command: Extract<Command, { kind: 'caller-add' }>): void {
  const store = readTrustStore(env.home);
  if (store[command.id] || existsSync(keyPath(env.home, command.id))) throw new UsageError(`caller '${command.id}' exists already in ${env.home}`, 'caller add');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(join(env.home, 'callers'), { recursive: true });
  writeFileSync(keyPath(env.home, command.id), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(keyPath(env.home, command.id), 0o600);
  store[command.id] = { publicKey: rawPublicKeyBase64(publicKey), tenant: command.tenant, capabilities: command.capabilities };
  replaceFile(trustStorePath(env.home), `${JSON.stringify(store, null, 2)}\n`, 0o644);
  env.out(`caller '${command.id}' (tenant '${command.tenant}', ${command.capabilities.join(', ')})\n`
    + `  private key: ${keyPath(env.home, command.id)}\n  trust store: ${trustStorePath(env.home)}\n`
    + 'A gateway started with this trust store (npm start) admits the new caller within a second; no restart needed.\n');
}

/** The telemetry tokens file `npm start` hands to the gateway. */
export function tokensPath(home: string): string {
  return join(home, 'tokens.json');
}

/** Creates a telemetry token and stores its hash; prints the token, which is not kept anywhere. */
export function addToken(env: CliEnvironment, command: Extract<Command, { kind: 'token-add' }>): void {
  const path = tokensPath(env.home);
  const tokens = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, TokenEntry>) : {};
  if (tokens[command.id]) throw new UsageError(`token '${command.id}' exists already in ${path}`, 'token add');
  const { token, sha256 } = newToken(command.id);
  tokens[command.id] = { tenant: command.tenant, sha256, assets: command.assets };
  mkdirSync(env.home, { recursive: true });
  replaceFile(path, `${JSON.stringify(tokens, null, 2)}\n`, 0o600);
  env.out(`${token}\n`);
  process.stderr.write(`token '${command.id}' (tenant '${command.tenant}', assets ${command.assets.length > 0 ? command.assets.join(', ') : 'all of the tenant\'s'}) stored hashed in ${path}; `
    + 'the token above is shown once. Send it as Authorization: Bearer <token>; a gateway started with this file (npm start) accepts it within a second.\n');
}
