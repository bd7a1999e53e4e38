/** Real ed25519 keys, a trust store and signed calls shared by the gateway's domain tests. */
import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import type { OperationName } from '../../src/domain/operations';
import { operations } from '../../src/domain/operations';
import type { RequestBody } from '../../src/domain/signature';
import { rawPublicKeyBase64, signRequest } from '../../src/domain/signature';
import type { TrustEntry } from '../../src/domain/trust-store';
import { compileTrustStore } from '../../src/domain/trust-store';

/** A fresh ed25519 key pair. */
export function keyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/** The gateway clock in tests: 2026-01-01T00:00:00Z. */
export const NOW_MS = 1_767_225_600_000;

export const alice = { id: 'did:example:alice', tenant: 'acme', ...keyPair() };
export const bob = { id: 'bob.cli', tenant: 'globex', ...keyPair() };

/** Alice's key as PEM, Bob's as raw base64: both forms a trust store accepts. */
export const trustEntries: Record<string, TrustEntry> = {
  [alice.id]: { publicKey: alice.publicKey.export({ format: 'pem', type: 'spki' }).toString(), tenant: alice.tenant, capabilities: ['map.maestro.goal.refine', 'map.maestro.graph.commit', 'map.maestro.graph.diff', 'map.maestro.charter.declare'] },
  [bob.id]: { publicKey: rawPublicKeyBase64(bob.publicKey), tenant: bob.tenant, capabilities: ['map.maestro.*'] },
};

export const trustStore = compileTrustStore(trustEntries);

export const COMMIT_PAYLOAD = { charterId: 'ch-1', goalId: 'g-1', expectedVersion: 1 };

let counter = 0;
/** A unique nonce per call, deterministic across runs. */
export function nextNonce(): string {
  counter += 1;
  return `nonce-${String(counter).padStart(12, '0')}`;
}

/** A body signed by `who` for `operation`, with overrides for the signed fields. */
export function signedBody(
  who: { id: string; tenant: string; privateKey: KeyObject },
  operation: OperationName,
  payload: Readonly<Record<string, unknown>>,
  overrides: Partial<{ tenant: string; capability: string; timestampMs: number; nonce: string }> = {},
): RequestBody {
  return signRequest(who.privateKey, {
    operation,
    caller: who.id,
    tenant: overrides.tenant ?? who.tenant,
    capability: overrides.capability ?? operations[operation].capability,
    timestampMs: overrides.timestampMs ?? NOW_MS,
    nonce: overrides.nonce ?? nextNonce(),
    payload,
  });
}
