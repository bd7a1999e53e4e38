import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionEnv, credentialsEnv, credentialsOf, defaultLocalKafkaAuth, localCredentialsPath, localKafkaAuth, readCredentialsFile, tlsEnv, tlsOf } from '../src';

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

describe('the credentials file of a TLS listener', () => {
  // As stack.sh writes it with MAESTRO_KAFKA_TLS=on: the CA relative to the file.
  const tlsDir = mkdtempSync(join(tmpdir(), 'maestro-credentials-tls-'));
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  mkdirSync(join(tlsDir, 'tls'));
  writeFileSync(join(tlsDir, 'tls', 'ca.crt'), pem);
  const tlsFile = join(tlsDir, 'credentials.json');
  writeFileSync(tlsFile, readFileSync(stackFile, 'utf8').replace('"users"', '"tls": {"caFile": "tls/ca.crt"},\n  "users"'));

  it('names the CA, resolved next to the file, and the variables that turn TLS on for a service', () => {
    const file = readCredentialsFile(tlsFile);
    expect(file.tls).toEqual({ caFile: join(tlsDir, 'tls', 'ca.crt') });
    expect(tlsOf(file)).toEqual({ ca: pem });
    expect(connectionEnv(file, 'gateway')).toEqual({
      KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'gateway', KAFKA_SASL_PASSWORD: 'g1', KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: join(tlsDir, 'tls', 'ca.crt'),
    });
  });

  it('asks for no TLS when the file names no CA (a SASL_PLAINTEXT listener)', () => {
    const file = readCredentialsFile(stackFile);
    expect(tlsOf(file)).toBeUndefined();
    expect(tlsEnv(file)).toEqual({});
    expect(connectionEnv(file, 'gateway')).toEqual(credentialsEnv(credentialsOf(file, 'gateway')));
  });

  it('refuses a tls entry without its CA, and a CA that is not there', () => {
    expect(() => readCredentialsFile(file('no-ca.json', readFileSync(stackFile, 'utf8').replace('"users"', '"tls": {},\n  "users"')))).toThrow(expect.objectContaining({ code: 'BAD_CREDENTIALS_FILE' }));
    const gone = readCredentialsFile(file('gone-ca.json', readFileSync(stackFile, 'utf8').replace('"users"', '"tls": {"caFile": "absent/ca.crt"},\n  "users"')));
    expect(() => tlsOf(gone)).toThrow(expect.objectContaining({ code: 'BAD_CREDENTIALS_FILE' }));
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
