import { describe, expect, it } from 'vitest';
import { baseConfigSpec, kafkaCredentials, registryAuth } from '../src/base-config';
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

describe('registry credentials from the base config', () => {
  it('sends basic authentication only when a user is set', () => {
    expect(registryAuth(load({}))).toBeUndefined();
    expect(registryAuth(load({ SCHEMA_REGISTRY_USERNAME: 'maestro', SCHEMA_REGISTRY_PASSWORD: 'pw' }))).toEqual({ username: 'maestro', password: 'pw' });
  });
});
