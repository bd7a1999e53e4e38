import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, credentialsOf, defaultLocalKafkaAuth, localCredentialsPath, localKafkaAuth, readCredentialsFile } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'maestro-credentials-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// The shape infra/local/stack.sh writes: one user per line.
const stackFile = file('credentials.json', `{
  "mechanism": "scram-sha-256",
  "brokers": "127.0.0.1:9092",
  "users": {
    "admin": {"username": "admin", "password": "a1"},
    "gateway": {"username": "gateway", "password": "g1"}
  }
}
`);

describe('the local stack credentials file', () => {
  it('gives each user its credentials, and the variables a service reads them from', () => {
    const creds = credentialsOf(readCredentialsFile(stackFile), 'gateway');
    expect(creds).toEqual({ mechanism: 'scram-sha-256', username: 'gateway', password: 'g1' });
    expect(credentialsEnv(creds)).toEqual({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'gateway', KAFKA_SASL_PASSWORD: 'g1' });
  });

  it('refuses a user it does not hold, a file that is not one, and a missing file, with their code', () => {
    expect(() => credentialsOf(readCredentialsFile(stackFile), 'detector')).toThrow(expect.objectContaining({ code: 'BAD_CREDENTIALS_FILE' }));
    expect(() => readCredentialsFile(file('other.json', '{"users": {}}'))).toThrow(expect.objectContaining({ code: 'BAD_CREDENTIALS_FILE' }));
    expect(() => readCredentialsFile(join(dir, 'absent.json'))).toThrow(expect.objectContaining({ code: 'BAD_CREDENTIALS_FILE' }));
  });

  it('is found in the stack directory, or where MAESTRO_KAFKA_CREDENTIALS says', () => {
    expect(localCredentialsPath({}, '/repo')).toBe('/repo/.stack/kafka/credentials.json');
    expect(localCredentialsPath({ MAESTRO_STACK_DIR: '/s' }, '/repo')).toBe('/s/kafka/credentials.json');
    expect(localCredentialsPath({ MAESTRO_KAFKA_CREDENTIALS: '/c.json', MAESTRO_STACK_DIR: '/s' }, '/repo')).toBe('/c.json');
  });
});

describe('MAESTRO_KAFKA_AUTH', () => {
  it('is none or scram, with the shared default when unset', () => {
    expect(localKafkaAuth({})).toBe(defaultLocalKafkaAuth);
    expect(localKafkaAuth({ MAESTRO_KAFKA_AUTH: 'scram' })).toBe('scram');
    expect(localKafkaAuth({ MAESTRO_KAFKA_AUTH: 'none' })).toBe('none');
    expect(() => localKafkaAuth({ MAESTRO_KAFKA_AUTH: 'tls' })).toThrow(expect.objectContaining({ code: 'BAD_CREDENTIALS_FILE' }));
  });

  it('has the same default in infra/local/stack.sh', () => {
    const script = readFileSync(join(import.meta.dirname, '../../../infra/local/stack.sh'), 'utf8');
    expect(script).toContain(`KAFKA_AUTH=\${MAESTRO_KAFKA_AUTH:-${defaultLocalKafkaAuth}}`);
  });
});
