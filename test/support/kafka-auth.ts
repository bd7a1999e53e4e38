/**
 * Tests against an authenticated broker (MAESTRO_KAFKA_AUTH=scram): the stack's credentials file
 * gives the test harness the admin (a super user, as the operator is) and each spawned service its own
 * principal, whose ACLs are granted for the test's topic prefix before it starts. Without the switch
 * every function here answers "no credentials" and clients connect as before.
 */
import { resolve } from 'node:path';
import {
  credentialsEnv, credentialsOf, grantAsAdmin, localCredentialsPath, localKafkaAuth, readCredentialsFile, serviceAccess,
  type CredentialsFile, type KafkaCredentials,
} from '@maestro/bus';

const root = resolve(import.meta.dirname, '../..');

const files = new Map<string, CredentialsFile>();

/**
 * The credentials file of the stack `env` names when its broker authenticates, else undefined. Read
 * once per path, after the global setup (or the benchmark's own stack) made it.
 */
export function stackCredentials(env: NodeJS.ProcessEnv = process.env): CredentialsFile | undefined {
  if (localKafkaAuth(env) !== 'scram') return undefined;
  const path = localCredentialsPath(env, root);
  if (!files.has(path)) files.set(path, readCredentialsFile(path));
  return files.get(path);
}

/** The admin's credentials, for the test harness's own clients; undefined on a plaintext broker. */
export function adminCredentials(): KafkaCredentials | undefined {
  const creds = stackCredentials();
  return creds && credentialsOf(creds, 'admin');
}

/**
 * The variables that make a process spawned with `env` connect as `name`: a service gets its own
 * user, with its ACLs granted first for the env's topic prefix; a test fixture (not a service of the
 * map) runs as the admin.
 */
export async function kafkaEnvFor(name: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const creds = stackCredentials(env);
  if (!creds) return {};
  if (!serviceAccess[name]) return credentialsEnv(credentialsOf(creds, 'admin'));
  // The grant goes to the broker the credentials belong to, not the env's: a test may hand a service
  // a deliberately broken KAFKA_BROKERS to see it refuse to start.
  const brokers = creds.brokers.split(',');
  await grantAsAdmin({ brokers, admin: credentialsOf(creds, 'admin'), services: [name], topicPrefix: env.MAESTRO_TOPIC_PREFIX ?? '' });
  return credentialsEnv(credentialsOf(creds, name));
}
