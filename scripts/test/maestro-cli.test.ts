import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawPublicKeyBase64 } from '../../services/gateway/src/domain';
import { addCaller, parseCommand, UsageError } from '../maestro-cli';
import { valueAt } from '../cli/protocol-call';

describe('parseCommand', () => {
  it('reads caller add with its tenant and capabilities, defaulting to every operation', () => {
    expect(parseCommand(['caller', 'add', 'agent-1', '--tenant', 'acme'])).toEqual({ kind: 'caller-add', id: 'agent-1', tenant: 'acme', capabilities: ['map.maestro.*'] });
    expect(parseCommand(['caller', 'add', 'agent-1', '--tenant', 'acme', '--capability', 'map.maestro.query.goals', '--capability', 'map.maestro.goal.refine']))
      .toMatchObject({ capabilities: ['map.maestro.query.goals', 'map.maestro.goal.refine'] });
  });

  it('reads call with an inline payload or a file, with or without the maestro. prefix', () => {
    expect(parseCommand(['call', 'maestro.goal.refine', '--as', 'a', '--payload', '{}', '--idempotency-key', 'k1']))
      .toEqual({ kind: 'call', operation: 'goal.refine', as: 'a', payload: '{}', payloadFile: null, idempotencyKey: 'k1', get: null });
    expect(parseCommand(['call', 'plan', '--as', 'a', '--payload-file', 'p.json'])).toMatchObject({ operation: 'plan', payload: null, payloadFile: 'p.json' });
  });

  it('reads --get, a dotted path into the answer for scripts', () => {
    expect(parseCommand(['call', 'allocate', '--as', 'a', '--payload', '{}', '--get', 'result.workOrders.0.workOrderId'])).toMatchObject({ get: 'result.workOrders.0.workOrderId' });
    expect(() => parseCommand(['call', 'allocate', '--as', 'a', '--payload', '{}', '--get', 'result..x'])).toThrow(/--get takes a dotted path/);
    expect(valueAt({ result: { workOrders: [{ workOrderId: 'g-1.v2.fetch.1' }] } }, 'result.workOrders.0.workOrderId')).toBe('g-1.v2.fetch.1');
    expect(valueAt({ result: { workOrders: [] } }, 'result.workOrders.0.workOrderId')).toBeUndefined();
  });

  it('is help with no command', () => {
    expect(parseCommand([])).toEqual({ kind: 'help' });
    expect(parseCommand(['help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['caller', 'add', 'agent-1'], /needs --tenant/],
    [['caller', 'add', '-bad id', '--tenant', 't'], /caller id/],
    [['caller', 'add', 'a', 'b', '--tenant', 't'], /exactly one caller id/],
    [['caller', 'add', 'a', '--tenant'], /--tenant needs a value/],
    [['caller', 'add', 'a', '--tenant', 't', '--tenant', 'u'], /--tenant is given 2 times/],
    [['caller', 'add', 'a', '--tenant', 't', '--colour', 'red'], /unknown option --colour/],
    [['call', 'goal.nope', '--as', 'a', '--payload', '{}'], /unknown operation 'goal.nope'; the operations are charter.declare/],
    [['call', 'goal.refine', '--payload', '{}'], /needs --as/],
    [['call', 'goal.refine', '--as', 'a'], /one of --payload/],
    [['call', 'goal.refine', '--as', 'a', '--payload', '{}', '--payload-file', 'x'], /one of --payload/],
    [['deploy'], /unknown command 'deploy'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe('addCaller', () => {
  let home = '';
  afterEach(() => { if (home) rmSync(home, { recursive: true, force: true }); });

  it('writes a private key only its owner can read and the matching public key to the trust store', () => {
    home = mkdtempSync(join(tmpdir(), 'maestro-cli-'));
    const out: string[] = [];
    const env = { home, gatewayUrl: 'http://unused', out: (t: string) => out.push(t) };
    addCaller(env, { kind: 'caller-add', id: 'agent-1', tenant: 'acme', capabilities: ['map.maestro.*'] });
    addCaller(env, { kind: 'caller-add', id: 'agent-2', tenant: 'beta', capabilities: ['map.maestro.query.goals'] });

    const keyFile = join(home, 'callers', 'agent-1.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const store = JSON.parse(readFileSync(join(home, 'trust.json'), 'utf8')) as Record<string, { publicKey: string; tenant: string; capabilities: string[] }>;
    expect(Object.keys(store)).toEqual(['agent-1', 'agent-2']);
    expect(store['agent-1']).toEqual({ publicKey: rawPublicKeyBase64(createPublicKey(createPrivateKey(readFileSync(keyFile, 'utf8')))), tenant: 'acme', capabilities: ['map.maestro.*'] });
    expect(store['agent-2']).toMatchObject({ tenant: 'beta', capabilities: ['map.maestro.query.goals'] });
    expect(out[0]).toContain('admits the new caller within a second');

    expect(() => addCaller(env, { kind: 'caller-add', id: 'agent-1', tenant: 'other', capabilities: [] })).toThrow(/exists already/);
    expect(JSON.parse(readFileSync(join(home, 'trust.json'), 'utf8'))['agent-1'].tenant).toBe('acme');
  });
});
