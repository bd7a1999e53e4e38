/**
 * The authenticated bus (MAESTRO_KAFKA_AUTH=scram): the broker lets in only clients that prove a
 * user's password, and each principal may do only what its ACLs allow, so a service that is not the
 * gateway (or the dispatcher) cannot put a request on `protocol.requests`.
 *
 * When the run's stack is authenticated, this uses it. Otherwise it starts an authenticated broker of
 * its own with infra/local/stack.sh (its own directory and ports; the shared registry and Redis are
 * reused), and stops it at the end if it started it.
 */
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import {
  connectionEnv, createKafkaClient, credentialsOf, ensureTopics, grantAsAdmin, readCredentialsFile, silentLogger, tlsOf,
  type CredentialsFile, type KafkaCredentials, type KafkaTls,
} from '@maestro/bus';
import { stackEnv, uniquePrefix } from '../support/environment';
import { stackCredentials } from '../support/kafka-auth';
import { ownBrokerDir, ownStack, portOpen, type OwnBroker } from '../support/own-broker';
import { spawnService, type SpawnedService } from '../support/services';

const own: OwnBroker = { dir: '.stack/sasl', port: 29092, tls: false };

/**
 * A raw kafkajs client that tries once: the refusals below are the broker's, not our client's. Over
 * TLS when the listener speaks it, so what is refused is the missing or wrong SASL, not plain TCP
 * (test/bus/tls-bus.test.ts covers that).
 */
function rawClient(brokers: string[], tls: KafkaTls | undefined, sasl?: KafkaCredentials): Kafka {
  return new Kafka({
    clientId: 'maestro-test-intruder', brokers, connectionTimeout: 3_000, retry: { retries: 0 }, logLevel: logLevel.NOTHING,
    ...(tls?.ca ? { ssl: { ca: [tls.ca] } } : {}),
    ...(sasl ? { sasl: { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password } } : {}),
  });
}

describe('the authenticated bus', () => {
  let brokers: string[];
  let credentials: CredentialsFile;
  let tls: KafkaTls | undefined;
  let startedHere = false;
  const prefix = uniquePrefix('auth-bus');
  const otherPrefix = uniquePrefix('auth-bus-other');
  const request = { key: 'charter-1', value: Buffer.from('not a request: the broker decides before any consumer reads it') };

  const clientAs = (user: string) => createKafkaClient({ brokers, clientId: `maestro-test-${user}`, logger: silentLogger, credentials: credentialsOf(credentials, user), ...(tls ? { tls } : {}) });

  /** The broker's error type when the send is refused (kafkajs wraps it once it gives up), or 'accepted'. */
  async function produceAs(user: string, topic: string): Promise<string> {
    const producer = clientAs(user).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [request], acks: -1 });
      return 'accepted';
    } catch (error) {
      const { type, cause } = error as { type?: string; cause?: { type?: string } };
      return type ?? cause?.type ?? String(error);
    } finally {
      await producer.disconnect();
    }
  }

  beforeAll(async () => {
    const running = stackCredentials();
    if (running) {
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
    tls = tlsOf(credentials);
    await grantAsAdmin({ brokers, admin: credentialsOf(credentials, 'admin'), ...(tls ? { tls } : {}), services: ['gateway', 'detector'], topicPrefix: prefix });
    const adminKafka = clientAs('admin');
    await ensureTopics({ kafka: adminKafka, specs: [topics.protocolRequests], topicPrefix: prefix });
    await ensureTopics({ kafka: adminKafka, specs: [topics.protocolRequests], topicPrefix: otherPrefix });
  }, 180_000);

  afterAll(() => {
    if (startedHere) ownStack(own, 'down');
  }, 60_000);

  it('refuses a client that does not authenticate', async () => {
    const admin = rawClient(brokers, tls).admin();
    // The broker answers only the SASL handshake on this listener; anything else closes the connection.
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow(/Closed connection/);
    await admin.disconnect();
  });

  it('refuses a known user with a wrong password', async () => {
    const gateway = credentialsOf(credentials, 'gateway');
    const admin = rawClient(brokers, tls, { ...gateway, password: `${gateway.password}-wrong` }).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed/);
    await admin.disconnect();
  });

  it('refuses a request on protocol.requests from the detector\'s principal, and takes the gateway\'s', async () => {
    expect(await produceAs('detector', `${prefix}protocol.requests`)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceAs('gateway', `${prefix}protocol.requests`)).toBe('accepted');
  });

  it('gives the gateway nothing under another deployment\'s prefix', async () => {
    expect(await produceAs('gateway', `${otherPrefix}protocol.requests`)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('runs a service as its own principal on its granted ACLs: it creates its topics, joins its group and is ready', async () => {
    const servicePrefix = uniquePrefix('auth-bus-ingest');
    await grantAsAdmin({ brokers, admin: credentialsOf(credentials, 'admin'), ...(tls ? { tls } : {}), services: ['ingest'], topicPrefix: servicePrefix });
    let ingest: SpawnedService | undefined;
    try {
      ingest = await spawnService('ingest', {
        KAFKA_BROKERS: brokers.join(','), MAESTRO_TOPIC_PREFIX: servicePrefix, MAESTRO_REDIS_PREFIX: `${servicePrefix}:`,
        ...connectionEnv(credentials, 'ingest'),
      });
      const ready = await fetch(`${ingest.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await ingest?.stop();
    }
  });
});
