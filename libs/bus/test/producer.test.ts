import { describe, expect, it } from 'vitest';
import type { TopicMessages } from 'kafkajs';
import { splitRequests } from '../src/producer';

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
