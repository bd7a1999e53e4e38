/**
 * `npm run maestro -- <command>`: make MAESTRO protocol calls without writing code.
 *
 *   caller add <id> --tenant <tenant> [--capability <cap>]...
 *       Creates an ed25519 key pair for a caller: the private key in <home>/callers/<id>.pem (mode
 *       600), the public key in the trust store <home>/trust.json, which `npm start` hands to the
 *       gateway (GATEWAY_TRUST_STORE). Capabilities default to map.maestro.* (every operation).
 *   call <operation> --as <id> (--payload <json> | --payload-file <path>) [--idempotency-key <key>]
 *       Signs the call as <id> (fresh timestamp and nonce) and POSTs it to the gateway; prints the
 *       HTTP status and the JSON answer. Exit status 0 for a 2xx answer, 1 for any other.
 *   token add <id> --tenant <tenant> [--assets <glob>]...
 *       Creates an API token for POST /v1/telemetry (`Authorization: Bearer <token>`), reporting for
 *       <tenant> and, with --assets, only for asset ids matching one of the globs (* and ?). The
 *       token is printed once; <home>/tokens.json keeps only its SHA-256, and `npm start` hands that
 *       file to the gateway (GATEWAY_TELEMETRY_TOKENS).
 *
 * <home> is MAESTRO_HOME (default .maestro in the repository); the gateway is MAESTRO_GATEWAY_URL
 * (default http://127.0.0.1:8080). Usage mistakes exit with status 2.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isOperationName, operationNames, rawPublicKeyBase64, signRequest, type TrustEntry } from '../services/gateway/src/domain';
import { TOKEN_ID, newToken, type TokenEntry } from '../services/gateway/src/telemetry-tokens';

export class UsageError extends Error {}

export type Command =
  | { kind: 'caller-add'; id: string; tenant: string; capabilities: string[] }
  | { kind: 'token-add'; id: string; tenant: string; assets: string[] }
  | { kind: 'call'; operation: string; as: string; payload: string | null; payloadFile: string | null; idempotencyKey: string | null }
  | { kind: 'help' };

const CALLER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

/** Parses the command line (after the script name); throws UsageError naming what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    options.set(arg.slice(2), [...(options.get(arg.slice(2)) ?? []), value]);
    i++;
  }
  const one = (name: string): string | null => {
    const values = options.get(name);
    if (values && values.length > 1) throw new UsageError(`--${name} is given ${values.length} times`);
    return values?.[0] ?? null;
  };
  const allowOnly = (allowed: readonly string[]) => {
    const unknown = [...options.keys()].filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw new UsageError(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `--${k}`).join(', ')}`);
  };
  const [first, second, third, ...rest] = positional;
  if (first === undefined || first === 'help') return { kind: 'help' };
  if (first === 'caller' && second === 'add') {
    allowOnly(['tenant', 'capability']);
    if (third === undefined || rest.length > 0) throw new UsageError('caller add takes exactly one caller id');
    if (!CALLER_ID.test(third)) throw new UsageError(`caller id '${third}' must start with a letter or digit and use only letters, digits and . _ : @ -`);
    const tenant = one('tenant');
    if (!tenant) throw new UsageError('caller add needs --tenant');
    return { kind: 'caller-add', id: third, tenant, capabilities: options.get('capability') ?? ['map.maestro.*'] };
  }
  if (first === 'token' && second === 'add') {
    allowOnly(['tenant', 'assets']);
    if (third === undefined || rest.length > 0) throw new UsageError('token add takes exactly one token id');
    if (!TOKEN_ID.test(third)) throw new UsageError(`token id '${third}' must start with a letter or digit and use only letters, digits and _ : @ -`);
    const tenant = one('tenant');
    if (!tenant) throw new UsageError('token add needs --tenant');
    return { kind: 'token-add', id: third, tenant, assets: options.get('assets') ?? [] };
  }
  if (first === 'call') {
    allowOnly(['as', 'payload', 'payload-file', 'idempotency-key']);
    if (second === undefined || third !== undefined) throw new UsageError('call takes exactly one operation');
    const operation = second.replace(/^maestro\./, '');
    if (!isOperationName(operation)) throw new UsageError(`unknown operation '${second}'; the operations are ${operationNames.join(', ')}`);
    const as = one('as');
    if (!as) throw new UsageError('call needs --as <caller id>');
    const payload = one('payload');
    const payloadFile = one('payload-file');
    if ((payload === null) === (payloadFile === null)) throw new UsageError('call needs one of --payload <json> or --payload-file <path>');
    return { kind: 'call', operation, as, payload, payloadFile, idempotencyKey: one('idempotency-key') };
  }
  throw new UsageError(`unknown command '${positional.join(' ')}'`);
}

export interface CliEnvironment {
  home: string;
  gatewayUrl: string;
  out(text: string): void;
}

function trustStorePath(home: string): string {
  return join(home, 'trust.json');
}

function keyPath(home: string, id: string): string {
  return join(home, 'callers', `${id}.pem`);
}

function readTrustStore(home: string): Record<string, TrustEntry> {
  const path = trustStorePath(home);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, TrustEntry>) : {};
}

/** Creates the caller's key pair and trust-store entry; an existing caller id is refused, never overwritten. */
export function addCaller(env: CliEnvironment, command: Extract<Command, { kind: 'caller-add' }>): void {
  const store = readTrustStore(env.home);
  if (store[command.id] || existsSync(keyPath(env.home, command.id))) throw new UsageError(`caller '${command.id}' exists already in ${env.home}`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(join(env.home, 'callers'), { recursive: true });
  writeFileSync(keyPath(env.home, command.id), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(keyPath(env.home, command.id), 0o600);
  store[command.id] = { publicKey: rawPublicKeyBase64(publicKey), tenant: command.tenant, capabilities: command.capabilities };
  writeFileSync(trustStorePath(env.home), `${JSON.stringify(store, null, 2)}\n`);
  env.out(`caller '${command.id}' (tenant '${command.tenant}', ${command.capabilities.join(', ')})\n`
    + `  private key: ${keyPath(env.home, command.id)}\n  trust store: ${trustStorePath(env.home)}\n`
    + 'The gateway reads its trust store at start: restart it (npm start) to admit the new caller.\n');
}

/** The telemetry tokens file `npm start` hands to the gateway. */
export function tokensPath(home: string): string {
  return join(home, 'tokens.json');
}

/** Creates a telemetry token and stores its hash; prints the token, which is not kept anywhere. */
export function addToken(env: CliEnvironment, command: Extract<Command, { kind: 'token-add' }>): void {
  const path = tokensPath(env.home);
  const tokens = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, TokenEntry>) : {};
  if (tokens[command.id]) throw new UsageError(`token '${command.id}' exists already in ${path}`);
  const { token, sha256 } = newToken(command.id);
  tokens[command.id] = { tenant: command.tenant, sha256, assets: command.assets };
  mkdirSync(env.home, { recursive: true });
  writeFileSync(path, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  env.out(`${token}\n`);
  process.stderr.write(`token '${command.id}' (tenant '${command.tenant}', assets ${command.assets.length > 0 ? command.assets.join(', ') : 'all of the tenant\'s'}) stored hashed in ${path}; `
    + 'the token above is shown once. Send it as Authorization: Bearer <token>; restart the gateway (npm start) to admit it.\n');
}

/** Signs and sends one call; returns the HTTP status. */
export async function call(env: CliEnvironment, command: Extract<Command, { kind: 'call' }>): Promise<number> {
  const entry = readTrustStore(env.home)[command.as];
  if (!entry || !existsSync(keyPath(env.home, command.as))) throw new UsageError(`no caller '${command.as}' in ${env.home}; create it with: caller add ${command.as} --tenant <tenant>`);
  const text = command.payload ?? readFileSync(command.payloadFile!, 'utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the payload is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = signRequest(readFileSync(keyPath(env.home, command.as), 'utf8'), {
    operation: command.operation, caller: command.as, tenant: entry.tenant, capability: `map.maestro.${command.operation}`,
    timestampMs: Date.now(), nonce: randomUUID(), payload,
  });
  const response = await fetch(`${env.gatewayUrl}/v1/protocol/maestro.${command.operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(command.idempotencyKey ? { 'idempotency-key': command.idempotencyKey } : {}) },
    body: JSON.stringify(body),
  });
  const answer = await response.text();
  let shown = answer;
  try {
    shown = JSON.stringify(JSON.parse(answer), null, 2);
  } catch {
    // not JSON: shown as it came
  }
  env.out(`HTTP ${response.status}\n${shown}\n`);
  return response.status;
}

const HELP = `usage: npm run maestro -- <command>
  caller add <id> --tenant <tenant> [--capability <cap>]...
  call <operation> --as <id> (--payload <json> | --payload-file <path>) [--idempotency-key <key>]
  token add <id> --tenant <tenant> [--assets <glob>]...
operations: ${operationNames.join(', ')}
MAESTRO_HOME (default .maestro) holds the keys and trust.json; MAESTRO_GATEWAY_URL (default http://127.0.0.1:8080).
`;

async function main(): Promise<number> {
  const env: CliEnvironment = {
    home: resolve(process.env.MAESTRO_HOME ?? join(import.meta.dirname, '..', '.maestro')),
    gatewayUrl: (process.env.MAESTRO_GATEWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
    out: (text) => process.stdout.write(text),
  };
  try {
    const command = parseCommand(process.argv.slice(2));
    if (command.kind === 'help') {
      env.out(HELP);
      return 0;
    }
    if (command.kind === 'caller-add') {
      addCaller(env, command);
      return 0;
    }
    if (command.kind === 'token-add') {
      addToken(env, command);
      return 0;
    }
    const status = await call(env, command);
    return status >= 200 && status < 300 ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`maestro: ${error.message}\n${HELP}`);
      return 2;
    }
    process.stderr.write(`maestro: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
