import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from './logger';

/** SASL mechanisms the bus can authenticate with (kafkajs's names). */
export const saslMechanisms = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
export type SaslMechanism = (typeof saslMechanisms)[number];

/** Who this client is to the broker: its principal is `User:<username>`, and ACLs say what it may do. */
export interface KafkaCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/**
 * TLS to the broker (an SSL or SASL_SSL listener). The broker's certificate is checked against `ca`
 * (PEM: the local stack's own CA, or a private one), or against Node's trusted roots without it;
 * it must name the host the client dials (an IP address as an IP SAN).
 */
export interface KafkaTls {
  ca?: string;
}

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** How long a connection attempt may take before kafkajs retries. @default 3000 */
  connectionTimeoutMs?: number;
  /** SASL credentials; without them the client connects unauthenticated (a PLAINTEXT listener). */
  credentials?: KafkaCredentials;
  /** TLS; without it the connection is plain TCP, which a TLS listener refuses. */
  tls?: KafkaTls;
}

/** kafkajs types each mechanism apart, though these three take the same fields. */
function saslOptions({ mechanism, username, password }: KafkaCredentials): SASLOptions {
  switch (mechanism) {
    case 'scram-sha-256': return { mechanism, username, password };
    case 'scram-sha-512': return { mechanism, username, password };
    case 'plain': return { mechanism, username, password };
  }
}

/** One kafkajs client per process; its logs go through the service's logger at the same levels. */
export function createKafkaClient({ brokers, clientId, logger, connectionTimeoutMs = 3000, credentials, tls }: KafkaClientOptions): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: connectionTimeoutMs,
    ...(credentials ? { sasl: saslOptions(credentials) } : {}),
    // `ca` replaces Node's roots for this connection only, so a private CA trusts nothing else.
    ...(tls ? { ssl: tls.ca ? { ca: [tls.ca] } : true } : {}),
    // Retriable broker errors (leader moves, coordinator loading) back off exponentially.
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ level, log: entry }: LogEntry) => {
      const { message, ...rest } = entry;
      const fields = { ...rest, namespace: entry.namespace };
      // kafkajs logs every broker error response at ERROR, including the ones it retries (a new
      // topic's leader not yet known, a coordinator still loading). Those are expected; a failure
      // that survives the retries reaches our own code as an exception and is logged there.
      const retried = message.startsWith('Response ') && level === logLevel.ERROR;
      if (retried) log.debug(fields, message);
      else if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    },
  });
}
