/**
 * Tests against an authenticated broker (MAESTRO_KAFKA_AUTH=scram): the stack's credentials file
 * gives the test harness the admin (a super user, as the operator is) and each spawned service its own
 * principal, whose ACLs are granted for the test's topic prefix before it starts. Without the switch
 * every function here answers "no credentials" and clients connect as before.
 */
import { join, resolve } from 'node:path';
import {
  createKafkaClient, credentialsEnv, credentialsOf, grantServiceAcls, readCredentialsFile, serviceAccess, silentLogger,
  type CredentialsFile, type KafkaCredentials,
} from '@maestro/bus';

const root = resolve(import.meta.dirname, '../..');

/** Where stack.sh keeps the credentials of the stack in MAESTRO_STACK_DIR (or MAESTRO_KAFKA_CREDENTIALS). */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MAESTRO_KAFKA_CREDENTIALS ?? join(env.MAESTRO_STACK_DIR ?? join(root, '.stack'), 'kafka', 'credentials.json');
}

let file: CredentialsFile | undefined;

/** The stack's credentials file when the broker authenticates, else undefined. Read once, after the global setup made it. */
export function stackCredentials(): CredentialsFile | undefined {
  if (process.env.MAESTRO_KAFKA_AUTH !== 'scram') return undefined;
  file ??= readCredentialsFile(credentialsPath());
  return file;
}

/** The admin's credentials, for the test harness's own clients; undefined on a plaintext broker. */
export function adminCredentials(): KafkaCredentials | undefined {
  const creds = stackCredentials();
  return creds && credentialsOf(creds, 'admin');
}

/**
 * The variables that make a spawned process connect as `name` under `topicPrefix`: a service gets its
 * own user, with its ACLs granted first; a test fixture (not a service of the map) runs as the admin.
 */
export async function kafkaEnvFor(name: string, brokers: readonly string[], topicPrefix: string): Promise<Record<string, string>> {
  const creds = stackCredentials();
  if (!creds) return {};
  if (!serviceAccess[name]) return credentialsEnv(credentialsOf(creds, 'admin'));
  const kafka = createKafkaClient({ brokers, clientId: 'maestro-test-acls', logger: silentLogger, credentials: credentialsOf(creds, 'admin') });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await grantServiceAcls(admin, name, topicPrefix);
  } finally {
    await admin.disconnect();
  }
  return credentialsEnv(credentialsOf(creds, name));
}
