/** The CLI reads the local stack's broker as the operator when nothing else says how to authenticate. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withLocalStackCredentials } from '../cli/bus-connection';

const root = mkdtempSync(join(tmpdir(), 'cli-stack-'));
mkdirSync(join(root, '.stack', 'kafka'), { recursive: true });
writeFileSync(join(root, '.stack', 'kafka', 'credentials.json'), JSON.stringify({
  mechanism: 'scram-sha-256', brokers: '127.0.0.1:9092', users: { admin: { username: 'admin', password: 'pw' }, ingest: { username: 'ingest', password: 'x' } },
}));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('withLocalStackCredentials', () => {
  it('adds the stack admin when no SASL setting is given', () => {
    expect(withLocalStackCredentials({}, root)).toMatchObject({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'admin', KAFKA_SASL_PASSWORD: 'pw', KAFKA_BROKERS: '127.0.0.1:9092' });
  });

  it.each([
    ['SASL settings of its own', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'me' }],
    ['another broker', { KAFKA_BROKERS: 'kafka.example:9092' }],
    ['a plaintext local stack', { MAESTRO_KAFKA_AUTH: 'none' }],
    ['no stack credentials', { MAESTRO_KAFKA_CREDENTIALS: join(root, 'missing.json') }],
  ])('leaves the environment alone with %s', (_what, env) => {
    expect(withLocalStackCredentials(env, root)).toBe(env);
  });
});
