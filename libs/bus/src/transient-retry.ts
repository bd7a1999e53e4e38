/**
 * Retries an operation while Kafka answers with an error it marks retriable (a partition's leader
 * not yet elected after a broker start or a topic creation, a coordinator still loading). Services
 * make a few admin calls at boot, right when those answers are most likely; without this a replica
 * started alongside a fresh broker would exit instead of waiting a second.
 */
export interface TransientRetryOptions {
  /** @default 12 */
  attempts?: number;
  /** @default 200 */
  initialDelayMs?: number;
  /** @default 3000 */
  maxDelayMs?: number;
}

export function isTransientKafkaError(error: unknown): boolean {
  let current: unknown = error;
  // kafkajs wraps the broker's answer (KafkaJSNumberOfRetriesExceeded → KafkaJSProtocolError).
  for (let depth = 0; current && depth < 4; depth++) {
    if ((current as { retriable?: unknown }).retriable === true) return true;
    current = (current as { cause?: unknown; originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

export async function retryTransient<T>(operation: () => Promise<T>, options: TransientRetryOptions = {}): Promise<T> {
  const { attempts = 12, initialDelayMs = 200, maxDelayMs = 3_000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isTransientKafkaError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1))));
    }
  }
}
