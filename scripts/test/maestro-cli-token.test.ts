/** `npm run maestro -- token add`: the printed token is accepted by the gateway's token store built from the file, which holds only its hash. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, addToken, parseCommand, tokensPath } from '../maestro-cli';
import { compileTokenStore } from '../../services/gateway/src/telemetry-tokens';

describe('token add', () => {
  it('parses the tenant and repeated asset patterns', () => {
    expect(parseCommand(['token', 'add', 'agent-eu', '--tenant', 'acme', '--assets', 'eu-*', '--assets', 'db/*']))
      .toEqual({ kind: 'token-add', id: 'agent-eu', tenant: 'acme', assets: ['eu-*', 'db/*'] });
    expect(() => parseCommand(['token', 'add', 'agent-eu'])).toThrow(UsageError);
    expect(() => parseCommand(['token', 'add', 'has.dot', '--tenant', 'acme'])).toThrow(/token id/);
  });

  it('prints a token the gateway accepts for its tenant and patterns, and stores only its hash (mode 600)', () => {
    const home = mkdtempSync(join(tmpdir(), 'maestro-cli-'));
    let printed = '';
    addToken({ home, gatewayUrl: 'http://unused', out: (text) => { printed += text; } }, { kind: 'token-add', id: 'agent-eu', tenant: 'acme', assets: ['eu-*'] });
    const token = printed.trim();
    const file = readFileSync(tokensPath(home), 'utf8');
    expect(file).not.toContain(token.split('.')[1]);
    expect(statSync(tokensPath(home)).mode & 0o777).toBe(0o600);
    const principal = compileTokenStore(JSON.parse(file) as never).verify(token);
    expect(principal).toMatchObject({ tokenId: 'agent-eu', tenant: 'acme' });
    expect([principal!.covers('eu-api'), principal!.covers('us-api')]).toEqual([true, false]);
    expect(() => addToken({ home, gatewayUrl: 'http://unused', out: () => {} }, { kind: 'token-add', id: 'agent-eu', tenant: 'acme', assets: [] })).toThrow(/exists already/);
  });
});
