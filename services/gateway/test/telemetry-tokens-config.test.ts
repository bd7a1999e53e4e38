/** GATEWAY_TELEMETRY_TOKENS is read at boot: a bad file stops the gateway with the variable's name, an unset one admits no token. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@maestro/runtime';
import { telemetryTokensFile } from '../src/telemetry-tokens-config';
import { hashSecret } from '../src/telemetry-tokens';

const field = telemetryTokensFile('GATEWAY_TELEMETRY_TOKENS', 'doc');
const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'tokens.json');
  writeFileSync(path, content);
  return path;
};

describe('GATEWAY_TELEMETRY_TOKENS', () => {
  it('unset: an empty store', () => {
    expect(field.parse(undefined).size).toBe(0);
  });

  it('reads a file written by token add', () => {
    const store = field.parse(file(JSON.stringify({ t1: { tenant: 'acme', sha256: hashSecret('s'), assets: ['a-*'] } })));
    expect(store.verify('t1.s')).toMatchObject({ tenant: 'acme' });
  });

  it.each([
    ['a missing file', '/nonexistent/tokens.json', /cannot read the telemetry tokens/],
    ['not JSON', file('{'), /is not JSON/],
    ['an array', file('[]'), /must be an object/],
    ['an entry without a tenant', file(JSON.stringify({ t1: { sha256: hashSecret('s') } })), /telemetry token 't1' must be/],
    ['a hash that is not hex', file(JSON.stringify({ t1: { tenant: 'a', sha256: 'xyz' } })), /sha256 must be 64/],
    ['a token id with a dot', file(JSON.stringify({ 'a.b': { tenant: 'a', sha256: hashSecret('s') } })), /token id 'a.b'/],
  ])('refuses %s with a ConfigError naming the variable', (_what, path, message) => {
    expect(() => field.parse(path)).toThrow(ConfigError);
    expect(() => field.parse(path)).toThrow(message);
  });
});
