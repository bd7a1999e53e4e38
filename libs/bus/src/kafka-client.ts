import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** How long a connection attempt may take before kafkajs retries. @default 3000 */
  connectionTimeoutMs?: number;
}

/** One kafkajs client per process; its logs go through the service's logger at the same levels. */
export function createKafkaClient({ brokers, clientId, logger, connectionTimeoutMs = 3000 }: KafkaClientOptions): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: connectionTimeoutMs,
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
