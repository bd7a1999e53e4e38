/**
 * A producer for many concurrent senders. The shared producer is idempotent with one request in
 * flight (./producer.ts), so independent sends — the gateway's calls, the partitions a protocol
 * service consumes at once — would each wait for every other's produce round trip. Sends are
 * group-committed instead: while one request is in flight the next sends queue, and all of them go
 * out together in the following `sendMany`, in the order they were made (so one key's records stay
 * ordered). A lone send pays one round trip, as before; 32 concurrent ones share a few.
 *
 * One send's record too large for the broker (RECORD_TOO_LARGE, permanent) must not fail the
 * others it was merged with: the group is then sent again send by send, so only that send fails.
 *
 * Each send is also bounded: a send not acknowledged within `sendTimeoutMs` rejects with
 * {@link ProduceTimeoutError}. The producer retries without end while the broker is away; without
 * the bound a gateway caller would wait past its deadline, and a consumer would hold its batch.
 */
import type { TopicSpec, ValueOf } from '@maestro/contracts';
import { isBusError } from './errors';
import type { BusProducer, OutboundRecord, TopicBatch } from './producer';

/** A send the broker did not acknowledge in time; the records may still be written later. */
export class ProduceTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the broker did not acknowledge the send within ${timeoutMs} ms`);
    this.name = 'ProduceTimeoutError';
  }
}

interface Pending {
  batch: TopicBatch;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

export interface CoalescingOptions {
  /** @default 5_000 */
  readonly sendTimeoutMs?: number;
  /** Most sends merged into one request (the producer still splits requests by bytes). @default 1_000 */
  readonly maxSends?: number;
}

export function createCoalescingProducer(producer: BusProducer, options: CoalescingOptions = {}): BusProducer {
  const sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
  const maxSends = options.maxSends ?? 1_000;
  let queue: Pending[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    while (queue.length > 0) {
      const group = queue.slice(0, maxSends);
      queue = queue.slice(group.length);
      try {
        await producer.sendMany(group.map((p) => p.batch));
        for (const p of group) p.resolve();
      } catch (error) {
        if (group.length > 1 && isBusError(error) && error.code === 'RECORD_TOO_LARGE') await sendOneByOne(group);
        else for (const p of group) p.reject(error);
      }
    }
    sending = false;
  }

  async function sendOneByOne(group: readonly Pending[]): Promise<void> {
    for (const p of group) {
      try {
        await producer.sendMany([p.batch]);
        p.resolve();
      } catch (error) {
        p.reject(error);
      }
    }
  }

  function enqueue(batch: TopicBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => settle(() => reject(new ProduceTimeoutError(sendTimeoutMs))), sendTimeoutMs);
      const pending: Pending = {
        batch, settled: false,
        resolve: () => settle(resolve),
        reject: (error) => settle(() => reject(error)),
      };
      function settle(done: () => void): void {
        if (pending.settled) return;
        pending.settled = true;
        clearTimeout(timer);
        done();
      }
      queue.push(pending);
      if (!sending) void drain();
    });
  }

  return {
    send<T extends TopicSpec>(spec: T, records: OutboundRecord<ValueOf<T>>[]) {
      return records.length === 0 ? Promise.resolve() : enqueue({ spec, records } as TopicBatch);
    },
    async sendMany(batches) {
      await Promise.all(batches.filter((b) => b.records.length > 0).map(enqueue));
    },
    sendRaw: (topic, messages) => producer.sendRaw(topic, messages),
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    failing: () => producer.failing(),
  };
}
