/**
 * The bus's error catalog. A consumer turns a record-level error into a dead letter when the code is
 * not retryable, and into a retry of the batch (with backoff, nothing committed) when it is.
 */
export const busErrorCodes = {
  NOT_WIRE_FORMAT: { retryable: false, description: 'value is not in the Confluent wire format (magic byte 0, 4-byte schema id)' },
  UNKNOWN_SCHEMA: { retryable: false, description: 'the schema id in the record is not known to the registry' },
  INCOMPATIBLE_SCHEMA: { retryable: false, description: 'the writer schema cannot be read with this service\'s schema' },
  DECODE_FAILED: { retryable: false, description: 'the bytes do not decode with the writer schema' },
  INVALID_RECORD: { retryable: false, description: 'the record does not conform to the topic\'s schema' },
  MISSING_KEY: { retryable: false, description: 'the record has no key; topics are keyed by entity id' },
  REJECTED: { retryable: false, description: 'the service\'s own validation refused the record' },
  HANDLER_FAILED: { retryable: false, description: 'the handler threw an error that is not transient on this record alone (the batch was split to find it)' },
  RECORD_TOO_LARGE: { retryable: false, description: 'a record to produce exceeds the broker\'s message size limit even compressed; sending it again cannot succeed' },
  REGISTRY_UNAVAILABLE: { retryable: true, description: 'the schema registry did not answer' },
  REQUEST_TIMEOUT: { retryable: true, description: 'no reply arrived before the deadline' },
  SHUTTING_DOWN: { retryable: true, description: 'the component is stopping and takes no new work' },
  UNKNOWN_SERVICE: { retryable: false, description: 'no Kafka access (topics read and written) is declared for this service, so it has no ACLs to grant' },
  BAD_CREDENTIALS_FILE: { retryable: false, description: 'the local stack\'s Kafka credentials are wrong: MAESTRO_KAFKA_AUTH is not none or scram, or the credentials file is missing, unreadable or lacks the user asked for' },
} as const;

export type BusErrorCode = keyof typeof busErrorCodes;

/** An error the bus knows how to handle: it carries a catalog code. */
export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly retryable: boolean;

  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusError';
    this.code = code;
    this.retryable = busErrorCodes[code].retryable;
  }
}

export function isBusError(error: unknown): error is BusError {
  return error instanceof BusError;
}

/**
 * An error that says the same work will succeed later (a store or broker away, a timeout): a consumer
 * retries the batch with backoff rather than dead-letter anything. Throw it, subclass it, or set
 * `transient: true` on an error of your own (see transience.ts for how a failure is classified).
 */
export class TransientError extends Error {
  readonly transient = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}
