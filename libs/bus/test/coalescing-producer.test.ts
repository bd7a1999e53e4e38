import { describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import type { BusProducer, TopicBatch } from '../src/producer';
import { createCoalescingProducer, ProduceTimeoutError } from '../src/coalescing-producer';

function fakeProducer(ackAfterMs: number) {
  const requests: TopicBatch[][] = [];
  const producer: BusProducer = {
    send: () => Promise.reject(new Error('unused')),
    async sendMany(batches) {
      requests.push(batches);
      await new Promise((resolve) => setTimeout(resolve, ackAfterMs));
    },
    sendRaw: async () => {},
    connect: async () => {},
    disconnect: async () => {},
    failing: () => null,
  };
  return { producer, requests };
}

const record = (key: string) => ({ key, value: { auditId: key } as never });

describe('createCoalescingProducer', () => {
  it('sends the first record at once and merges the sends made while it is in flight, in order', async () => {
    const { producer, requests } = fakeProducer(20);
    const coalescing = createCoalescingProducer(producer);
    await Promise.all(['a', 'b', 'c', 'd'].map((k) => coalescing.send(topics.audit, [record(k)])));
    expect(requests.map((r) => r.map((b) => b.records[0]!.key))).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects a send the broker does not acknowledge in time', async () => {
    const { producer } = fakeProducer(500);
    const coalescing = createCoalescingProducer(producer, { sendTimeoutMs: 30 });
    await expect(coalescing.send(topics.audit, [record('a')])).rejects.toBeInstanceOf(ProduceTimeoutError);
  });

  it('rejects every send of a failed request with its error', async () => {
    const producer: BusProducer = { ...fakeProducer(0).producer, sendMany: () => Promise.reject(new Error('broker gone')) };
    const coalescing = createCoalescingProducer(producer);
    await expect(coalescing.send(topics.audit, [record('a')])).rejects.toThrow('broker gone');
  });
});
