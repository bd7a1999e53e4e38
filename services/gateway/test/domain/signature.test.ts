import { describe, expect, it } from 'vitest';
import { canonicalRequest, parsePublicKey, rawPublicKeyBase64, SIGNATURE_PREFIX, signRequest, verifySignature } from '../../src/domain/signature';
import type { SignedFields } from '../../src/domain/signature';
import { compileTrustStore } from '../../src/domain/trust-store';
import { alice, bob, COMMIT_PAYLOAD, keyPair, NOW_MS } from './fixtures';

const FIELDS: SignedFields = {
  operation: 'graph.commit', caller: alice.id, tenant: alice.tenant, capability: 'map.maestro.graph.commit', timestampMs: NOW_MS, nonce: 'n-0000000000000001', payload: COMMIT_PAYLOAD,
};

describe('signRequest / verifySignature', () => {
  it('produces an envelope whose signature verifies, and leaves the payload untouched', () => {
    const body = signRequest(alice.privateKey, FIELDS);
    expect(body.payload).toBe(COMMIT_PAYLOAD);
    expect(body.envelope.signature).toMatch(/^ed25519:[A-Za-z0-9+/]{86}==$/);
    expect(verifySignature(alice.publicKey, FIELDS, body.envelope.signature)).toBe(true);
  });

  it('accepts a PEM private key', () => {
    const pem = alice.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(verifySignature(alice.publicKey, FIELDS, signRequest(pem, FIELDS).envelope.signature)).toBe(true);
  });

  it('verifies whatever key order the payload arrives in', () => {
    const { signature } = signRequest(alice.privateKey, FIELDS).envelope;
    const reordered = JSON.parse('{"expectedVersion":1,"goalId":"g-1","charterId":"ch-1"}');
    expect(verifySignature(alice.publicKey, { ...FIELDS, payload: reordered }, signature)).toBe(true);
  });

  it.each([
    { name: 'payload tampered', change: { payload: { ...COMMIT_PAYLOAD, expectedVersion: 2 } } },
    { name: 'payload gains a field', change: { payload: { ...COMMIT_PAYLOAD, extra: true } } },
    { name: 'operation changed', change: { operation: 'graph.diff' } },
    { name: 'caller changed', change: { caller: bob.id } },
    { name: 'tenant changed', change: { tenant: 'globex' } },
    { name: 'capability changed', change: { capability: 'map.maestro.*' } },
    { name: 'timestamp changed', change: { timestampMs: NOW_MS + 1 } },
    { name: 'nonce changed', change: { nonce: 'n-0000000000000002' } },
  ])('fails when the $name', ({ change }) => {
    const { signature } = signRequest(alice.privateKey, FIELDS).envelope;
    expect(verifySignature(alice.publicKey, { ...FIELDS, ...change }, signature)).toBe(false);
  });

  it.each([
    { name: 'another key', signature: () => signRequest(bob.privateKey, FIELDS).envelope.signature },
    { name: 'no prefix', signature: () => signRequest(alice.privateKey, FIELDS).envelope.signature.slice(SIGNATURE_PREFIX.length) },
    { name: 'wrong scheme', signature: () => signRequest(alice.privateKey, FIELDS).envelope.signature.replace('ed25519:', 'rsa:') },
    { name: 'truncated', signature: () => signRequest(alice.privateKey, FIELDS).envelope.signature.slice(0, 40) },
    { name: 'empty', signature: () => '' },
  ])('fails with $name', ({ signature }) => {
    expect(verifySignature(alice.publicKey, FIELDS, signature())).toBe(false);
  });

  it('never throws on a payload that cannot be canonicalised', () => {
    const { signature } = signRequest(alice.privateKey, FIELDS).envelope;
    expect(verifySignature(alice.publicKey, { ...FIELDS, payload: { x: Infinity } }, signature)).toBe(false);
  });

  it('signs exactly the canonical JSON of the seven signed fields', () => {
    expect(canonicalRequest({ ...FIELDS, extra: 'ignored' } as SignedFields)).toBe(
      `{"caller":"${alice.id}","capability":"map.maestro.graph.commit","nonce":"n-0000000000000001","operation":"graph.commit","payload":{"charterId":"ch-1","expectedVersion":1,"goalId":"g-1"},"tenant":"acme","timestampMs":${NOW_MS}}`,
    );
  });
});

describe('public keys', () => {
  it('parses PEM and raw base64 into the same key', () => {
    const { publicKey } = keyPair();
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const raw = rawPublicKeyBase64(publicKey);
    expect(Buffer.from(raw, 'base64')).toHaveLength(32);
    expect(parsePublicKey(pem).equals(publicKey)).toBe(true);
    expect(parsePublicKey(raw).equals(publicKey)).toBe(true);
  });

  it.each([
    { name: 'a short raw key', key: Buffer.alloc(16).toString('base64'), message: /32 bytes/ },
    { name: 'garbage PEM', key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', message: /./ },
  ])('refuses $name', ({ key, message }) => {
    expect(() => parsePublicKey(key)).toThrow(message);
  });

  it('stops a trust store from loading with a bad key, naming the caller', () => {
    expect(() => compileTrustStore({ 'did:example:broken': { publicKey: 'AAAA', tenant: 'acme', capabilities: [] } })).toThrow(/did:example:broken/);
  });
});
