/**
 * Tests against an authenticated broker (MAESTRO_KAFKA_AUTH=scram): the stack's credentials file
 * gives the test harness the admin (a super user, as the operator is) and each spawned service its own
 * principal, whose ACLs are granted for the test's topic prefix before it starts. Without the switch
 * every function here answers "no credentials" and clients connect as before.
 *
 * TLS follows the same file: it names the CA only when the running broker's listener speaks TLS
 * (stack.sh rewrites it whenever it starts the broker), so the tests connect as the broker expects,
 * whichever layout the stack was started with.
 */
import { resolve } from 'node:path';
import {
  connectionEnv, credentialsOf, grantAsAdmin, localCredentialsPath, localKafkaAuth, readCredentialsFile, serviceAccess, tlsOf,
  type CredentialsFile, type KafkaClientOptions,
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

/** How the test harness's own clients reach the stack: as the admin, over TLS when the broker asks for it; nothing on a plaintext broker. */
export function adminClientOptions(): Pick<KafkaClientOptions, 'credentials' | 'tls'> {
  const creds = stackCredentials();
  if (!creds) return {};
  const tls = tlsOf(creds);
  return { credentials: credentialsOf(creds, 'admin'), ...(tls ? { tls } : {}) };
}

/**
 * The variables that make a process spawned with `env` connect as `name`: a service gets its own
 * user, with its ACLs granted first for the env's topic prefix; a test fixture (not a service of the
 * map) runs as the admin.
 */
export async function kafkaEnvFor(name: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const creds = stackCredentials(env);
  if (!creds) return {};
  if (!serviceAccess[name]) return connectionEnv(creds, 'admin');
  // The grant goes to the broker the credentials belong to, not the env's: a test may hand a service
  // a deliberately broken KAFKA_BROKERS to see it refuse to start.
  const brokers = creds.brokers.split(',');
  const tls = tlsOf(creds);
  await grantAsAdmin({ brokers, admin: credentialsOf(creds, 'admin'), ...(tls ? { tls } : {}), services: [name], topicPrefix: env.MAESTRO_TOPIC_PREFIX ?? '' });
  return connectionEnv(creds, name);
}
