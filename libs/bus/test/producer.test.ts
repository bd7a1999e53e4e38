import { describe, expect, it } from 'vitest';
import { KafkaJSProtocolError, type Kafka, type TopicMessages } from 'kafkajs';
import type { Codecs } from '../src/codecs';
import { createProducer, isLostProducerState, splitRequests } from '../src/producer';
import { isTransient } from '../src/transience';

const message = (n: number, bytes: number) => ({ key: `k${n}`, value: Buffer.alloc(bytes, n % 256) });

describe('splitRequests', () => {
  it('keeps a small send in one request', () => {
    const input: TopicMessages[] = [{ topic: 'a', messages: [message(1, 100), message(2, 100)] }, { topic: 'b', messages: [message(3, 100)] }];
    expect(splitRequests(input, 10_000)).toEqual([input]);
  });

  it('splits a large send below the budget, in order, across topics', () => {
    const input: TopicMessages[] = [
      { topic: 'a', messages: Array.from({ length: 10 }, (_, i) => message(i, 1_000)) },
      { topic: 'b', messages: Array.from({ length: 5 }, (_, i) => message(100 + i, 1_000)) },
    ];
    const requests = splitRequests(input, 3_500);
    for (const request of requests) {
      const bytes = request.flatMap((t) => t.messages).reduce((sum, m) => sum + (m.value as Buffer).length, 0);
      expect(bytes).toBeLessThanOrEqual(3_500);
    }
    const flattened = requests.flatMap((r) => r.flatMap((t) => t.messages.map((m) => `${t.topic}:${m.key as string}`)));
    expect(flattened).toEqual([...input[0]!.messages.map((m) => `a:${m.key as string}`), ...input[1]!.messages.map((m) => `b:${m.key as string}`)]);
    expect(requests.length).toBeGreaterThan(4);
  });

  it('sends a single message larger than the budget on its own rather than dropping it', () => {
    const requests = splitRequests([{ topic: 'a', messages: [message(1, 10), message(2, 9_000), message(3, 10)] }], 1_000);
    expect(requests.map((r) => r[0]!.messages.map((m) => m.key))).toEqual([['k1'], ['k2'], ['k3']]);
  });
});

/** A broker's error answer as kafkajs raises it (its constructor takes the protocol error's description). */
const protocolError = (type: string, code: number, message: string) => new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable: false }));

describe('createProducer when the broker no longer takes its sequence numbers', () => {
  // A stand-in for kafkajs's producer factory: each producer records its sends, and the first one
  // answers as kafkajs does once the broker and its sequence numbers disagree (after a broker
  // restart in the chaos benchmark): OUT_OF_ORDER_SEQUENCE_NUMBER, for every send, for good.
  function standIn() {
    const made: { connects: number; disconnects: number; sends: string[]; broken: boolean }[] = [];
    const kafka = {
      producer() {
        const p = { connects: 0, disconnects: 0, sends: [] as string[], broken: made.length === 0 };
        made.push(p);
        return {
          connect: async () => { p.connects++; },
          disconnect: async () => { p.disconnects++; },
          sendBatch: async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
            await new Promise((r) => setTimeout(r, 1));
            if (p.broken) throw protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, 'The broker received an out of order sequence number');
            p.sends.push(...topicMessages.flatMap((t) => t.messages.map((m) => m.key as string)));
          },
        };
      },
    };
    return { made, bus: createProducer(kafka as unknown as Kafka, {} as Codecs) };
  }

  it('fails the send as transient and sends the next ones with a new producer (a new producer id)', async () => {
    const { made, bus } = standIn();
    await bus.connect();
    const failed = await bus.sendRaw('t', [{ key: 'a', value: 'x' }]).then(() => null, (error: unknown) => error);
    expect(isLostProducerState(failed)).toBe(true);
    // A consumer retries its batch rather than dead-letter it; the gateway's 503 test is its name.
    expect(isTransient(failed)).toBe(true);
    expect((failed as Error).name).toBe('KafkaJSProtocolError');
    await bus.sendRaw('t', [{ key: 'b', value: 'x' }]);
    expect(made).toHaveLength(2);
    expect(made[0]!.disconnects).toBe(1);
    expect(made[1]!.connects).toBe(1);
    expect(made[1]!.sends).toEqual(['b']);
  });

  it('replaces the producer once when concurrent sends fail alike', async () => {
    const { made, bus } = standIn();
    await bus.connect();
    const results = await Promise.allSettled(['a', 'b', 'c'].map((key) => bus.sendRaw('t', [{ key, value: 'x' }])));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await Promise.all(['d', 'e'].map((key) => bus.sendRaw('t', [{ key, value: 'x' }])));
    expect(made).toHaveLength(2);
    expect(made[1]!.connects).toBe(1);
    expect(made[1]!.sends.sort()).toEqual(['d', 'e']);
  });

  it('reports the run of failed sends, from its first failure to its last, until a send succeeds', async () => {
    const { bus } = standIn();
    await bus.connect();
    expect(bus.failing()).toBeNull();
    const before = Date.now();
    await bus.sendRaw('t', [{ key: 'a', value: 'x' }]).catch(() => undefined);
    const failing = bus.failing();
    expect(failing).toMatchObject({ error: expect.stringContaining('out of order sequence number') });
    expect(failing!.sinceMs).toBeGreaterThanOrEqual(before);
    expect(failing!.lastMs).toBeGreaterThanOrEqual(failing!.sinceMs);
    await bus.sendRaw('t', [{ key: 'b', value: 'x' }]);
    expect(bus.failing()).toBeNull();
  });

  it('recognises the answer inside kafkajs\'s retry wrapper, and nothing else', () => {
    const lost = protocolError('UNKNOWN_PRODUCER_ID', 59, 'unknown producer id');
    expect(isLostProducerState(Object.assign(new Error('retries exhausted'), { name: 'KafkaJSNumberOfRetriesExceeded', originalError: lost }))).toBe(true);
    expect(isLostProducerState(protocolError('MESSAGE_TOO_LARGE', 10, 'too large'))).toBe(false);
    expect(isLostProducerState(new Error('ECONNREFUSED'))).toBe(false);
  });
});
