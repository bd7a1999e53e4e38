/**
 * TLS on the bus (MAESTRO_KAFKA_TLS=on, the default with authentication): the client listener speaks
 * SASL_SSL with a certificate signed by the stack's own CA, so a client must both trust that CA and
 * authenticate. Plain TCP is refused, and so is a client that trusts another CA (its credentials are
 * never sent: the handshake fails first).
 *
 * When the run's stack speaks TLS (its credentials file names a CA), this uses it. Otherwise it starts
 * a TLS broker of its own with infra/local/stack.sh (its own directory and ports; the shared registry
 * and Redis are reused), and stops it at the end if it started it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionEnv, credentialsOf, grantAsAdmin, readCredentialsFile, tlsOf,
  type CredentialsFile, type KafkaCredentials, type KafkaTls,
} from '@maestro/bus';
import { stackEnv, uniquePrefix } from '../support/environment';
import { stackCredentials } from '../support/kafka-auth';
import { ownBrokerDir, ownStack, portOpen, type OwnBroker } from '../support/own-broker';
import { spawnService, type SpawnedService } from '../support/services';

const own: OwnBroker = { dir: '.stack/tls', port: 29192, tls: true };

/** A CA that did not sign the broker's certificate, made the way stack.sh makes its own. */
function otherCa(): string {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-other-ca-'));
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Not the stack CA',
    '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'),
  ], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make a CA: ${made.stderr}`);
  return readFileSync(join(dir, 'ca.crt'), 'utf8');
}

/** A raw kafkajs client that tries once, so each refusal is the first one seen; `ssl` as kafkajs takes it. */
function rawClient(brokers: string[], sasl: KafkaCredentials, ssl?: { ca: string[] }): Kafka {
  return new Kafka({
    clientId: 'maestro-test-tls', brokers, connectionTimeout: 3_000, retry: { retries: 0 }, logLevel: logLevel.NOTHING,
    sasl: { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password },
    ...(ssl ? { ssl } : {}),
  });
}

/** Connects an admin and lists topics; the message of the error down its cause chain, or 'connected'. */
async function tryAdmin(kafka: Kafka): Promise<string> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return 'connected';
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' ← ');
  } finally {
    await admin.disconnect();
  }
}

describe('the bus over TLS', () => {
  let brokers: string[];
  let credentials: CredentialsFile;
  let tls: KafkaTls;
  let startedHere = false;

  beforeAll(async () => {
    const running = stackCredentials();
    if (running?.tls) {
      brokers = stackEnv.KAFKA_BROKERS.split(',');
      credentials = running;
    } else {
      if (!(await portOpen(own.port))) {
        ownStack(own, 'up');
        startedHere = true;
      }
      brokers = [`127.0.0.1:${own.port}`];
      credentials = readCredentialsFile(resolve(ownBrokerDir(own), 'kafka/credentials.json'));
    }
    const stackTls = tlsOf(credentials);
    if (!stackTls?.ca) throw new Error('the TLS stack\'s credentials file names no CA');
    tls = stackTls;
  }, 180_000);

  afterAll(() => {
    if (startedHere) ownStack(own, 'down');
  }, 60_000);

  it('names a CA that signed the broker\'s certificate for 127.0.0.1', () => {
    const ca = readFileSync(credentials.tls!.caFile, 'utf8');
    expect(ca).toContain('-----BEGIN CERTIFICATE-----');
    expect(tls.ca).toBe(ca);
  });

  it('refuses a client that speaks plain TCP, even with a valid user and password', async () => {
    const refused = await tryAdmin(rawClient(brokers, credentialsOf(credentials, 'admin')));
    // The broker reads the SASL handshake as a broken TLS record and drops the connection.
    expect(refused).toMatch(/Closed connection/);
  });

  it('refuses a client that trusts another CA before it sends its credentials', async () => {
    const refused = await tryAdmin(rawClient(brokers, credentialsOf(credentials, 'admin'), { ca: [otherCa()] }));
    expect(refused).toMatch(/self[- ]signed certificate in certificate chain|unable to verify|certificate/i);
    expect(refused).not.toMatch(/SASL/);
  });

  it('lets in a client that trusts the stack\'s CA and authenticates', async () => {
    expect(await tryAdmin(rawClient(brokers, credentialsOf(credentials, 'admin'), { ca: [tls.ca!] }))).toBe('connected');
  });

  it('runs a service over TLS as its own principal from the variables the stack hands it (KAFKA_TLS_CA_FILE)', async () => {
    const prefix = uniquePrefix('tls-bus');
    const env = connectionEnv(credentials, 'ingest');
    expect(env).toMatchObject({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: credentials.tls!.caFile });
    await grantAsAdmin({ brokers, admin: credentialsOf(credentials, 'admin'), tls, services: ['ingest'], topicPrefix: prefix });
    let ingest: SpawnedService | undefined;
    try {
      ingest = await spawnService('ingest', { KAFKA_BROKERS: brokers.join(','), MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: `${prefix}:`, ...env });
      const ready = await fetch(`${ingest.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await ingest?.stop();
    }
  });
});
