/**
 * Request signing: ed25519 over the canonical JSON of the fields that identify a call. The
 * operation is signed too (it travels in the URL, not the body), so a signature made for
 * `graph.diff` cannot be replayed against `graph.commit` with the same payload.
 * `node:crypto` here is computation, not I/O.
 */
import type { KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** What the signature covers. `payload` is the operation's payload as sent. */
export interface SignedFields {
  readonly operation: string;
  readonly caller: string;
  readonly tenant: string;
  readonly capability: string;
  readonly timestampMs: number;
  readonly nonce: string;
  readonly payload: unknown;
}

/** The envelope in the request body (schemas/maestro/v1/envelope.json). */
export interface Envelope {
  readonly caller: string;
  readonly tenant: string;
  readonly capability: string;
  readonly timestampMs: number;
  readonly nonce: string;
  /** `ed25519:<standard base64 of the 64-byte signature>`; absent is refused at authentication. */
  readonly signature?: string;
}

/** The body of `POST /v1/protocol/{operation}`. */
export interface RequestBody<P = Readonly<Record<string, unknown>>> {
  readonly envelope: Envelope;
  readonly payload: P;
}

/** A body as `signRequest` makes it: the signature is there. */
export interface SignedRequestBody<P = Readonly<Record<string, unknown>>> extends RequestBody<P> {
  readonly envelope: Envelope & { readonly signature: string };
}

/** The scheme prefix of every signature. */
export const SIGNATURE_PREFIX = 'ed25519:';

// DER header of an ed25519 SubjectPublicKeyInfo; a raw 32-byte key appended to it is a valid SPKI.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_SIGNATURE_BYTES = 64;

/** The exact text that is signed: canonical JSON of the signed fields. */
export function canonicalRequest(fields: SignedFields): string {
  const { operation, caller, tenant, capability, timestampMs, nonce, payload } = fields;
  return canonicalJson({ operation, caller, tenant, capability, timestampMs, nonce, payload });
}

/**
 * Parses an ed25519 public key given as PEM (SPKI) or as the raw 32 bytes in base64.
 * Throws with a plain message when the text is neither, or not ed25519: trust stores are loaded at
 * boot, where a bad key must stop the process.
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, rawKeyBytes(trimmed)]), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an ed25519 public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

function rawKeyBytes(base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 32) throw new Error(`a raw ed25519 public key is 32 bytes of base64, got ${bytes.length} bytes`);
  return bytes;
}

/** The raw 32-byte public key in base64, the compact form a trust store may hold. */
export function rawPublicKeyBase64(publicKey: KeyObject): string {
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length).toString('base64');
}

/**
 * Signs a call and returns the body to POST to `/v1/protocol/{operation}`. For tests, the CLI and
 * the benchmark; the caller supplies `timestampMs` and a fresh `nonce` (this module has no clock
 * and no randomness).
 */
export function signRequest<P>(privateKey: KeyObject | string, request: SignedFields & { readonly payload: P }): SignedRequestBody<P> {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const bytes = sign(null, Buffer.from(canonicalRequest(request), 'utf8'), key);
  const { caller, tenant, capability, timestampMs, nonce, payload } = request;
  return { envelope: { caller, tenant, capability, timestampMs, nonce, signature: `${SIGNATURE_PREFIX}${bytes.toString('base64')}` }, payload };
}

/** True when `signature` is a valid `ed25519:` signature of the canonical request under `publicKey`. Never throws. */
export function verifySignature(publicKey: KeyObject, fields: SignedFields, signature: string): boolean {
  if (!signature.startsWith(SIGNATURE_PREFIX)) return false;
  const bytes = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), 'base64');
  if (bytes.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return verify(null, Buffer.from(canonicalRequest(fields), 'utf8'), publicKey, bytes);
  } catch {
    // A payload that cannot be canonicalised cannot have been signed.
    return false;
  }
}
