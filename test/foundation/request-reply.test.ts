import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type ProtocolRequest } from '@maestro/contracts';
import { createBatchConsumer, createRequester, silentLogger, subscription, type BatchConsumer, type Requester } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { uniquePrefix } from '../support/environment';

const prefix = uniquePrefix('rpc');
let bus: TestBus;
let responder: BatchConsumer;
const gateways: Requester<typeof topics.protocolRequests, typeof topics.protocolReplies>[] = [];

function request(charterId: string, payload: unknown): Omit<ProtocolRequest, 'correlationId' | 'replyTo'> {
  return { operation: 'query.goals', charterId, tenant: 'acme', caller: 'agent-1', payloadJson: JSON.stringify(payload), deadlineAtMs: Date.now() + 10_000, sentAtMs: Date.now() };
}

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.protocolRequests, topics.protocolReplies]);
  // A responder standing in for the planner: echoes the payload back, addressed to the asking replica.
  responder = createBatchConsumer({
    kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, groupId: `${prefix}planner`, logger: silentLogger,
    subscriptions: [subscription(topics.protocolRequests, async (records) => {
      await bus.producer.send(topics.protocolReplies, records.map(({ value }) => ({
        key: value.replyTo,
        value: { correlationId: value.correlationId, replyTo: value.replyTo, status: 'ok' as const, resultJson: value.payloadJson, refusalCode: null, reasons: [], detailsJson: null, service: 'echo', cpuMicros: 0, repliedAtMs: Date.now() },
      })));
    })],
  });
  await responder.start();
  for (const replicaId of ['gw-a', 'gw-b']) {
    const requester = createRequester({ kafka: bus.kafka, codecs: bus.codecs, producer: bus.producer, requestSpec: topics.protocolRequests, replySpec: topics.protocolReplies, replicaId, groupPrefix: `${prefix}gateway`, logger: silentLogger });
    await requester.start();
    gateways.push(requester);
  }
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await responder?.stop();
  await bus?.close();
});

describe('request/reply over Kafka', () => {
  it('delivers every reply to the replica that waits for it, with several replicas reading the reply topic', async () => {
    const calls = Array.from({ length: 40 }, (_, i) => {
      const gateway = gateways[i % 2]!;
      return gateway.request(`charter-${i % 7}`, request(`charter-${i % 7}`, { n: i }), { timeoutMs: 20_000 }).then((reply) => ({ i, reply }));
    });
    const replies = await Promise.all(calls);
    for (const { i, reply } of replies) {
      expect(reply.replyTo).toBe(i % 2 === 0 ? 'gw-a' : 'gw-b');
      expect(JSON.parse(reply.resultJson!)).toEqual({ n: i });
    }
    expect(gateways.map((g) => g.pending())).toEqual([0, 0]);
  });

  it('gives up at the deadline with a retryable timeout when nobody answers', async () => {
    await responder.stop();
    await expect(gateways[0]!.request('charter-x', request('charter-x', {}), { timeoutMs: 1_500 })).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', retryable: true });
    expect(gateways[0]!.pending()).toBe(0);
  });
});
