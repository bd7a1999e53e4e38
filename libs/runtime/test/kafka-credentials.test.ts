import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseConfigSpec, kafkaCredentials, kafkaTls, registryAuth } from '../src/base-config';
import { ConfigError, loadConfig } from '../src/config';

const load = (env: Record<string, string>) => loadConfig(baseConfigSpec(0), env);

describe('Kafka credentials from the base config', () => {
  it('connects unauthenticated when no mechanism is set', () => {
    expect(kafkaCredentials(load({}))).toBeUndefined();
  });

  it('gives the SASL mechanism, user and password', () => {
    const config = load({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'gateway', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(kafkaCredentials(config)).toEqual({ mechanism: 'scram-sha-256', username: 'gateway', password: 's3cret' });
  });

  it('names the missing variable rather than connecting anonymously when a mechanism lacks a user or password', () => {
    expect(() => kafkaCredentials(load({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_PASSWORD: 'x' }))).toThrow(expect.objectContaining({ variable: 'KAFKA_SASL_USERNAME' }));
    expect(() => kafkaCredentials(load({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'gateway' }))).toThrow(ConfigError);
  });

  it('refuses a mechanism the bus does not speak', () => {
    expect(() => load({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});

describe('TLS to Kafka from the base config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-kafka-tls-'));
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, pem);

  it('is off unless asked for', () => {
    expect(kafkaTls(load({}))).toBeUndefined();
  });

  it('trusts the system\'s roots with KAFKA_TLS alone, and only the named CA with KAFKA_TLS_CA_FILE (which turns it on)', () => {
    expect(kafkaTls(load({ KAFKA_TLS: 'true' }))).toEqual({});
    expect(kafkaTls(load({ KAFKA_TLS_CA_FILE: caFile }))).toEqual({ ca: pem });
    expect(kafkaTls(load({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: caFile }))).toEqual({ ca: pem });
  });

  it('names KAFKA_TLS_CA_FILE when the file cannot be read or holds no certificate', () => {
    expect(() => kafkaTls(load({ KAFKA_TLS_CA_FILE: join(dir, 'absent.crt') }))).toThrow(expect.objectContaining({ variable: 'KAFKA_TLS_CA_FILE' }));
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => kafkaTls(load({ KAFKA_TLS_CA_FILE: notPem }))).toThrow(expect.objectContaining({ variable: 'KAFKA_TLS_CA_FILE' }));
  });

  it('refuses a KAFKA_TLS that is not a boolean', () => {
    expect(() => load({ KAFKA_TLS: 'maybe' })).toThrow(/KAFKA_TLS/);
  });
});

describe('registry credentials from the base config', () => {
  it('sends basic authentication only when a user is set', () => {
    expect(registryAuth(load({}))).toBeUndefined();
    expect(registryAuth(load({ SCHEMA_REGISTRY_USERNAME: 'maestro', SCHEMA_REGISTRY_PASSWORD: 'pw' }))).toEqual({ username: 'maestro', password: 'pw' });
  });
});
