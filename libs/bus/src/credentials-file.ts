/**
 * The Kafka credentials file of a local authenticated stack (`MAESTRO_KAFKA_AUTH=scram`), written
 * once per stack directory by infra/local/stack.sh (mode 600): the admin (the super user that grants
 * ACLs) and one user per service, named as the service. `npm start`, the tests and the benchmarks read
 * it to give each service its principal; a deployment elsewhere sets KAFKA_SASL_* itself.
 *
 * When the stack's listener speaks TLS (SASL_SSL, the default), the file also names the CA that
 * signed the broker's certificate. The file is rewritten only when stack.sh starts the broker, so it
 * always describes the broker that runs: clients follow it rather than a default of their own.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BusError } from './errors';
import { saslMechanisms, type KafkaCredentials, type KafkaTls, type SaslMechanism } from './kafka-client';

/**
 * Whether the local stack's broker authenticates: MAESTRO_KAFKA_AUTH, `none` or `scram`. The default
 * here and in infra/local/stack.sh (KAFKA_AUTH) must be the same.
 */
export const defaultLocalKafkaAuth: 'none' | 'scram' = 'scram';

export function localKafkaAuth(env: Readonly<Record<string, string | undefined>>): 'none' | 'scram' {
  const mode = env.MAESTRO_KAFKA_AUTH || defaultLocalKafkaAuth;
  if (mode !== 'none' && mode !== 'scram') throw new BusError('BAD_CREDENTIALS_FILE', `MAESTRO_KAFKA_AUTH must be none or scram, not "${mode}"`);
  return mode;
}

/** Where infra/local/stack.sh keeps the credentials of the stack in MAESTRO_STACK_DIR (or MAESTRO_KAFKA_CREDENTIALS). */
export function localCredentialsPath(env: Readonly<Record<string, string | undefined>>, repositoryRoot: string): string {
  return env.MAESTRO_KAFKA_CREDENTIALS ?? join(env.MAESTRO_STACK_DIR ?? join(repositoryRoot, '.stack'), 'kafka', 'credentials.json');
}

export interface CredentialsFile {
  mechanism: SaslMechanism;
  /** The broker the file was made for, host:port. */
  brokers: string;
  users: Readonly<Record<string, { username: string; password: string }>>;
  /** Present when the listener speaks TLS: the CA's PEM file (absolute once read; the file may hold it relative to itself). */
  tls?: { caFile: string };
}

export function readCredentialsFile(path: string): CredentialsFile {
  let parsed: Partial<CredentialsFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<CredentialsFile>;
  } catch (error) {
    throw new BusError('BAD_CREDENTIALS_FILE', `cannot read the Kafka credentials file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!parsed.mechanism || !saslMechanisms.includes(parsed.mechanism) || typeof parsed.users !== 'object' || parsed.users === null || typeof parsed.brokers !== 'string') {
    throw new BusError('BAD_CREDENTIALS_FILE', `${path} is not a credentials file (mechanism, brokers and users expected)`);
  }
  if (parsed.tls !== undefined && (typeof parsed.tls !== 'object' || parsed.tls === null || typeof parsed.tls.caFile !== 'string' || parsed.tls.caFile === '')) {
    throw new BusError('BAD_CREDENTIALS_FILE', `${path} has a "tls" entry without its "caFile"`);
  }
  const file = parsed as CredentialsFile;
  return file.tls ? { ...file, tls: { caFile: resolve(dirname(path), file.tls.caFile) } } : file;
}

/** The credentials of one user of the file. */
export function credentialsOf(file: CredentialsFile, user: string): KafkaCredentials {
  const entry = file.users[user];
  if (!entry) throw new BusError('BAD_CREDENTIALS_FILE', `the Kafka credentials file has no user "${user}" (stack.sh adds one per service directory on \`up\`)`);
  return { mechanism: file.mechanism, username: entry.username, password: entry.password };
}

/** TLS as the stack's listener needs it (its CA read from the file), or undefined for plain TCP. */
export function tlsOf(file: CredentialsFile): KafkaTls | undefined {
  if (!file.tls) return undefined;
  try {
    return { ca: readFileSync(file.tls.caFile, 'utf8') };
  } catch (error) {
    throw new BusError('BAD_CREDENTIALS_FILE', `cannot read the stack's Kafka CA ${file.tls.caFile}: ${(error as Error).message}`, { cause: error });
  }
}

/** The variables that make a service connect over TLS when the stack's listener asks for it; none otherwise. */
export function tlsEnv(file: CredentialsFile): Record<string, string> {
  return file.tls ? { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: file.tls.caFile } : {};
}

/** Everything a service needs to reach the stack's broker as this user: its SASL credentials, and TLS when the listener speaks it. */
export function connectionEnv(file: CredentialsFile, user: string): Record<string, string> {
  return { ...credentialsEnv(credentialsOf(file, user)), ...tlsEnv(file) };
}

/** The variables that make a service (libs/runtime's base config) connect as this user. */
export function credentialsEnv(credentials: KafkaCredentials): Record<string, string> {
  return { KAFKA_SASL_MECHANISM: credentials.mechanism, KAFKA_SASL_USERNAME: credentials.username, KAFKA_SASL_PASSWORD: credentials.password };
}
