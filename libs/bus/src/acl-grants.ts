/**
 * The Kafka ACLs of a service, from service-access.json (which catalog topics it reads and writes),
 * for one deployment prefix. With authorization on, a principal may do nothing no ACL allows, so
 * these are all a service can do:
 *
 * - every topic it reads, writes or creates: DESCRIBE and CREATE (services create missing catalog topics at
 *   start), on the topic and its dead-letter topic `<topic>.dlq` (created with it);
 * - topics it reads: READ, and WRITE on their dead-letter topics (where its consumers put what they refuse);
 * - topics it writes: WRITE. Only the gateway and the dispatcher write `protocol.requests`;
 * - consumer groups whose id starts with `<prefix><service>` (the runtime names them so, with a
 *   suffix per replica or purpose): READ, DESCRIBE, and DELETE for the throwaway groups it removes;
 * - transactional ids with the same prefix (transactional-sender.ts names them after the group):
 *   WRITE and DESCRIBE, for a service that produces and commits its offsets in one transaction.
 *
 * Topic ACLs are LITERAL, so a prefix grants nothing on another deployment's topics. Pure: the
 * grant itself is one createAcls call by an admin (grantServiceAcls).
 */
import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import type { AclEntry, Admin } from 'kafkajs';
import access from './service-access.json';
import { BusError } from './errors';
import { createKafkaClient, type KafkaCredentials, type KafkaTls } from './kafka-client';
import { silentLogger } from './logger';

// Node's static analysis of kafkajs's CommonJS exports misses these enums, so named ESM imports of
// them fail at load; they are read from the module object instead.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;
type AclOperationTypes = KafkaJs.AclOperationTypes;
type AclResourceTypes = KafkaJs.AclResourceTypes;
type ResourcePatternTypes = KafkaJs.ResourcePatternTypes;

export interface ServiceAccess {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /** Topics it creates (so their dead-letter topics exist) without reading or writing them. */
  readonly creates?: readonly string[];
}

/** The services the map knows, each with the catalog topics it reads and writes. */
export const serviceAccess: Readonly<Record<string, ServiceAccess>> = Object.fromEntries(
  Object.entries(access).filter(([name]) => !name.startsWith('$')),
) as Record<string, ServiceAccess>;

/** A service's principal: its SASL user name is its service name. */
export function servicePrincipal(service: string): string {
  return `User:${service}`;
}

function allow(resourceType: AclResourceTypes, resourcePatternType: ResourcePatternTypes, resourceName: string, principal: string, operation: AclOperationTypes): AclEntry {
  return { resourceType, resourceName, resourcePatternType, principal, host: '*', operation, permissionType: AclPermissionTypes.ALLOW };
}

/** Every ACL the service needs under the prefix; throws UNKNOWN_SERVICE for a name the map lacks. */
export function serviceAcls(service: string, topicPrefix: string, principal: string = servicePrincipal(service)): AclEntry[] {
  const own = serviceAccess[service];
  if (!own) throw new BusError('UNKNOWN_SERVICE', `no Kafka access is declared for "${service}" (libs/bus/src/service-access.json)`);
  const topic = (name: string, operation: AclOperationTypes) => allow(AclResourceTypes.TOPIC, ResourcePatternTypes.LITERAL, topicPrefix + name, principal, operation);
  const group = (operation: AclOperationTypes) => allow(AclResourceTypes.GROUP, ResourcePatternTypes.PREFIXED, topicPrefix + service, principal, operation);
  const transactionalId = (operation: AclOperationTypes) => allow(AclResourceTypes.TRANSACTIONAL_ID, ResourcePatternTypes.PREFIXED, topicPrefix + service, principal, operation);
  const declared = [...new Set([...own.reads, ...own.writes, ...(own.creates ?? [])])];
  return [
    ...declared.flatMap((name) => [name, `${name}.dlq`].flatMap((t) => [topic(t, AclOperationTypes.DESCRIBE), topic(t, AclOperationTypes.CREATE)])),
    ...own.reads.flatMap((name) => [topic(name, AclOperationTypes.READ), topic(`${name}.dlq`, AclOperationTypes.WRITE)]),
    ...own.writes.map((name) => topic(name, AclOperationTypes.WRITE)),
    group(AclOperationTypes.READ), group(AclOperationTypes.DESCRIBE), group(AclOperationTypes.DELETE),
    transactionalId(AclOperationTypes.WRITE), transactionalId(AclOperationTypes.DESCRIBE),
  ];
}

/**
 * Grants the service's ACLs for the prefix through an admin connected as a super user. Creating an
 * ACL that exists is a no-op on the broker, so granting again before every start is safe.
 */
export async function grantServiceAcls(admin: Admin, service: string, topicPrefix: string, principal?: string): Promise<void> {
  await admin.createAcls({ acl: serviceAcls(service, topicPrefix, principal) });
}

/** Connects to the brokers as the admin (a super user), grants each service's ACLs for the prefix, and disconnects. */
export async function grantAsAdmin(options: { brokers: readonly string[]; admin: KafkaCredentials; tls?: KafkaTls; services: readonly string[]; topicPrefix: string }): Promise<void> {
  const kafka = createKafkaClient({ brokers: options.brokers, clientId: 'maestro-acl-grants', logger: silentLogger, credentials: options.admin, ...(options.tls ? { tls: options.tls } : {}) });
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const service of options.services) await grantServiceAcls(admin, service, options.topicPrefix);
  } finally {
    await admin.disconnect();
  }
}
