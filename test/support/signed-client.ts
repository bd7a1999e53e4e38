/**
 * A MAESTRO caller over HTTP for integration tests: ed25519 keys, the gateway's trust-store file
 * for them, and signed POST /v1/protocol/maestro.<operation> calls.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { rawPublicKeyBase64, signRequest } from '../../services/gateway/src/domain';

export interface Answer {
  result?: unknown;
  refused?: { stage: string; code: string; reasons: string[]; details?: Record<string, unknown> };
  audit?: string;
}
export interface Called { status: number; body: Answer; headers: Headers }

export interface Caller { id: string; tenant: string; capabilities: string[]; privateKey: KeyObject; publicKey: KeyObject }

/** A caller with a freshly generated ed25519 key pair. */
export function newCaller(id: string, tenant: string, capabilities: string[] = ['map.maestro.*']): Caller {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { id, tenant, capabilities, privateKey, publicKey };
}

/** Writes the GATEWAY_TRUST_STORE file that admits these callers. */
export function writeTrustStore(path: string, callers: readonly Caller[]): void {
  writeFileSync(path, JSON.stringify(Object.fromEntries(callers.map((c) => [c.id, { publicKey: rawPublicKeyBase64(c.publicKey), tenant: c.tenant, capabilities: c.capabilities }]))));
}

export async function post(baseUrl: string, path: string, body: string, headers: Record<string, string> = {}): Promise<Called> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.json() as Answer, headers: response.headers };
}

/** A signed call of `operation` as `caller`, through the gateway at `baseUrl`. */
export function callSigned(baseUrl: string, caller: Caller, operation: string, payload: unknown, options: { idempotencyKey?: string } = {}): Promise<Called> {
  const body = signRequest(caller.privateKey, {
    operation, caller: caller.id, tenant: caller.tenant, capability: `map.maestro.${operation}`, timestampMs: Date.now(), nonce: randomUUID(), payload,
  });
  return post(baseUrl, `/v1/protocol/maestro.${operation}`, JSON.stringify(body), options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {});
}
