/**
 * Regression (issue 14, F4): one garbage record on `protocol.replies` made every later protocol call
 * time out, since the reply topic had no dead-letter topic and the gateway retried that batch for
 * good. Now the record is dead-lettered and the calls behind it are answered. Real gateway and
 * planner processes, Kafka, registry and Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { frame } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { callSigned, newCaller, writeTrustStore } from '../support/signed-client';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('garbage-reply');
const dir = mkdtempSync(join(tmpdir(), 'maestro-garbage-reply-'));
const agent = newCaller('agent-acme', 'acme');
const replicaId = `gw-garbage-${process.pid}`;
const executors = [{ id: 'w1', speed: 1, costPerMs: 0.001, trust: 0.9, capabilities: ['http'] }];
let bus: TestBus;
let gateway: SpawnedService;
let planner: SpawnedService;

async function declare(charterId: string) {
  return callSigned(gateway.url, agent, 'charter.declare', { charterId, tenant: 'acme', budget: { cost: 100, tokens: 1_000 }, deadlineMs: 600_000, executors, minTrust: 0.5 });
}

beforeAll(async () => {
  writeTrustStore(join(dir, 'trust.json'), [agent]);
  bus = await createTestBus(prefix, [topics.protocolReplies]);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TRUST_STORE: join(dir, 'trust.json'), GATEWAY_CALL_TIMEOUT_MS: '15000' };
  [planner, gateway] = await Promise.all([spawnService('planner', env), spawnService('gateway', { ...env, MAESTRO_REPLICA_ID: replicaId })]);
  await eventually(async () => (await fetch(`${gateway.url}/readyz`)).ok, 60_000, 'the gateway to be ready');
});

afterAll(async () => {
  await Promise.all([gateway?.stop('SIGTERM'), planner?.stop('SIGTERM')]);
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a garbage record on protocol.replies', () => {
  it('is dead-lettered, and protocol calls through the gateway are still answered', async () => {
    // A first call proves the replica reads its reply partition (it starts at the end, so a record
    // sent before it had a position could be skipped and prove nothing).
    expect((await declare('ch-before')).status).toBe(200);

    // Keyed like the replies meant for this replica, so on the partition it waits on: text that is
    // not Avro, and a well-framed ProtocolReply whose first string claims a gigabyte.
    const schemaId = await bus.registry.getLatestSchemaId(`${prefix}protocol.replies-value`);
    const bomb = frame(schemaId, Buffer.from([0x80, 0xa8, 0xd6, 0xb9, 0x07, 0x00, 0x00]));
    const raw = bus.kafka.producer();
    await raw.connect();
    await raw.send({ topic: `${prefix}protocol.replies`, messages: [{ key: replicaId, value: Buffer.from('{"not":"avro"}') }, { key: replicaId, value: bomb }] });
    await raw.disconnect();

    const after = await declare('ch-after');
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(after.body.result).toMatchObject({ charterId: 'ch-after', tenant: 'acme', revision: 1 });

    const letters = await eventually(async () => {
      const all = await bus.readAll(`${prefix}protocol.replies.dlq`);
      return all.length >= 2 && all.map((l) => decodeDeadLetter(l.value));
    }, 30_000, 'both records on protocol.replies.dlq');
    expect(letters.map((l) => l.errorCode)).toEqual(['NOT_WIRE_FORMAT', 'DECODE_FAILED']);
    expect(letters[1]!.reason).toMatch(/correlationId: string of 1000000000 bytes exceeds the limit/);
    expect(letters.every((l) => l.consumerGroup.endsWith(`.replies.${replicaId}`))).toBe(true);
  });
});
