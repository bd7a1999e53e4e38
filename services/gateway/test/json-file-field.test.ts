/**
 * The trust store and the telemetry tokens follow their files: `caller add` and `token add` while
 * the gateway runs take effect at the next check, without a restart; a file that stops loading
 * leaves the previous version in force and is reported once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@maestro/runtime';
import { rawPublicKeyBase64 } from '../src/domain';
import type { ReloadEvent } from '../src/json-file-field';
import { telemetryTokensFile } from '../src/telemetry-tokens-config';
import { hashSecret } from '../src/telemetry-tokens';
import { trustStoreFile } from '../src/trust-store-config';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function scratch(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'reload-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const caller = (tenant: string) => ({ publicKey: rawPublicKeyBase64(generateKeyPairSync('ed25519').publicKey), tenant, capabilities: ['map.maestro.*'] });

/** A clock the test moves, so "at most once a second" is checked without sleeping. */
function manualClock() {
  let nowMs = 1_000_000;
  return { now: () => nowMs, advance: (ms: number) => void (nowMs += ms) };
}

describe('GATEWAY_TRUST_STORE follows its file', () => {
  it('admits a caller added after boot at the next check, not before', () => {
    const clock = manualClock();
    const path = scratch('trust.json', { 'agent-1': caller('acme') });
    const store = trustStoreFile('GATEWAY_TRUST_STORE', 'doc', { checkEveryMs: 1_000, now: clock.now }).parse(path);
    const events: ReloadEvent[] = [];
    store.file.onReload((event) => events.push(event));
    expect([...store.keys()]).toEqual(['agent-1']);

    writeFileSync(path, JSON.stringify({ 'agent-1': caller('acme'), 'agent-2': caller('globex') }));
    clock.advance(500);
    expect(store.get('agent-2')).toBeUndefined();
    clock.advance(500);
    expect(store.get('agent-2')).toMatchObject({ caller: 'agent-2', tenant: 'globex' });
    expect(store.size).toBe(2);
    expect(events).toEqual([{ ok: true, path, entries: 2 }]);
  });

  it('follows a file replaced by a rename, as an atomic writer does', () => {
    const clock = manualClock();
    const path = scratch('trust.json', { a: caller('acme') });
    const store = trustStoreFile('GATEWAY_TRUST_STORE', 'doc', { now: clock.now }).parse(path);
    writeFileSync(`${path}.tmp`, JSON.stringify({ b: caller('acme') }));
    renameSync(`${path}.tmp`, path);
    clock.advance(1_000);
    expect(store.has('b')).toBe(true);
    expect(store.has('a')).toBe(false);
  });

  it('keeps the previous callers when the file stops loading, says so once, and takes the next good version', () => {
    const clock = manualClock();
    const path = scratch('trust.json', { a: caller('acme') });
    const store = trustStoreFile('GATEWAY_TRUST_STORE', 'doc', { now: clock.now }).parse(path);
    const events: ReloadEvent[] = [];
    store.file.onReload((event) => events.push(event));

    writeFileSync(path, '{"a": {"publicKey": ');
    clock.advance(1_000);
    expect(store.get('a')?.tenant).toBe('acme');
    clock.advance(1_000);
    expect(store.has('a')).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ok: false, path, error: expect.stringMatching(/trust store .* is not JSON/) });

    writeFileSync(path, JSON.stringify({ a: { ...caller('acme'), publicKey: 'not a key' } }));
    clock.advance(1_000);
    expect(store.has('a')).toBe(true);
    expect(events[1]).toMatchObject({ ok: false, error: expect.stringMatching(/caller 'a' has an unusable public key/) });

    rmSync(path);
    clock.advance(1_000);
    expect(store.has('a')).toBe(true);
    expect(events[2]).toMatchObject({ ok: false, error: expect.stringMatching(/cannot read the trust store/) });

    writeFileSync(path, JSON.stringify({ c: caller('initech') }));
    clock.advance(1_000);
    expect([...store.keys()]).toEqual(['c']);
    expect(events[3]).toEqual({ ok: true, path, entries: 1 });
  });

  it('still stops the gateway at boot on a bad file, naming the variable', () => {
    const path = scratch('trust.json', { a: { tenant: 'acme' } });
    expect(() => trustStoreFile('GATEWAY_TRUST_STORE', 'doc').parse(path)).toThrow(ConfigError);
    expect(() => trustStoreFile('GATEWAY_TRUST_STORE', 'doc').parse(path)).toThrow(/^GATEWAY_TRUST_STORE: trust store entry 'a' must be/);
  });

  it('unset: an empty store with nothing to watch', () => {
    const store = trustStoreFile('GATEWAY_TRUST_STORE', 'doc').parse(undefined);
    expect(store.size).toBe(0);
    expect(store.file.path).toBeNull();
  });
});

describe('GATEWAY_TELEMETRY_TOKENS follows its file', () => {
  it('accepts a token added after boot at the next check', () => {
    const clock = manualClock();
    const path = scratch('tokens.json', { t1: { tenant: 'acme', sha256: hashSecret('one'), assets: [] } });
    const tokens = telemetryTokensFile('GATEWAY_TELEMETRY_TOKENS', 'doc', { now: clock.now }).parse(path);
    expect(tokens.verify('t2.two')).toBeNull();
    writeFileSync(path, JSON.stringify({
      t1: { tenant: 'acme', sha256: hashSecret('one'), assets: [] },
      t2: { tenant: 'globex', sha256: hashSecret('two'), assets: ['db-*'] },
    }));
    clock.advance(1_000);
    expect(tokens.verify('t2.two')).toMatchObject({ tokenId: 't2', tenant: 'globex' });
    expect(tokens.verify('t2.two')?.covers('db-1')).toBe(true);
    expect(tokens.size).toBe(2);
  });
});
