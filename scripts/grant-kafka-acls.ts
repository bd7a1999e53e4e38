/**
 * One-shot of docker compose (service `kafka-acls`): connects to the broker as the admin and grants
 * every service user of the credentials file its ACLs for MAESTRO_TOPIC_PREFIX (libs/bus
 * acl-grants.ts), as `npm start` does before it starts the services. Granting again is a no-op, so
 * it runs on every `docker compose up`; the services start once it exited 0.
 *
 *   MAESTRO_KAFKA_CREDENTIALS  the file compose's Kafka keeps (infra/docker/kafka-start.sh)
 *   KAFKA_BROKERS              default: the brokers the file names
 */
import { credentialsOf, grantAsAdmin, readCredentialsFile, retryTransient, tlsOf } from '@maestro/bus';

const path = process.env.MAESTRO_KAFKA_CREDENTIALS;
if (!path) {
  process.stderr.write('grant-kafka-acls: MAESTRO_KAFKA_CREDENTIALS must name the Kafka credentials file\n');
  process.exit(64);
}
const file = readCredentialsFile(path);
const services = Object.keys(file.users).filter((user) => user !== 'admin');
const topicPrefix = process.env.MAESTRO_TOPIC_PREFIX ?? '';
await retryTransient(() => grantAsAdmin({
  brokers: (process.env.KAFKA_BROKERS ?? file.brokers).split(','), admin: credentialsOf(file, 'admin'), tls: tlsOf(file), services, topicPrefix,
}));
process.stdout.write(`grant-kafka-acls: ACLs granted to ${services.join(', ')} for the prefix "${topicPrefix}"\n`);
