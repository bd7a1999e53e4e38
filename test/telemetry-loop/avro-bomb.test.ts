/**
 * Regression (issue 14, F3): a 30-byte record in the right wire format whose map block claims 10⁹
 * entries held ingest at full CPU for good: /healthz stopped answering, SIGTERM was ignored, and the
 * valid samples behind it never flowed. Now the bomb is dead-lettered with its reason and the stream
 * moves on. Real ingest process, Kafka, registry and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { frame, unframe } from '@maestro/bus';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { latencySignal } from '../support/fleet';
import { spawnService, type SpawnedService } from '../support/services';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('avro-bomb');
let bus: TestBus;
let ingest: SpawnedService;

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples]);
  ingest = await spawnService('ingest', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix });
});

afterAll(async () => {
  await ingest?.stop('SIGTERM');
  await bus?.close();
});

describe('ingest given an Avro bomb', () => {
  it('dead-letters it with the reason, lets the valid samples behind it through, and keeps answering /healthz', async () => {
    const assetId = 'asset-bomb';
    // HealthSignal starts assetId (string), timestampMs (long), metrics (map): the map's first block
    // claims 10⁹ entries (zig-zag 2·10⁹), and 8 zero bytes follow. 30 bytes in all, framed under the
    // topic's own schema id.
    const { schemaId } = unframe(bus.codecs.encode(topics.telemetryRaw, latencySignal(assetId, Date.now(), 1)));
    const body = Buffer.concat([Buffer.from([0x14]), Buffer.from(assetId), Buffer.from([0x00, 0x80, 0xa8, 0xd6, 0xb9, 0x07]), Buffer.alloc(8)]);
    const bomb = frame(schemaId, body);
    expect(bomb.length).toBe(30);

    const raw = bus.kafka.producer();
    await raw.connect();
    await raw.send({ topic: `${prefix}telemetry.raw`, messages: [{ key: assetId, value: bomb }] });
    await raw.disconnect();
    // Same key, so the same partition, behind the bomb.
    await bus.producer.send(topics.telemetryRaw, [41, 42, 43].map((latency, i) => ({ key: assetId, value: latencySignal(assetId, Date.now() - 1_000 + i, latency) })));

    const samples = await eventually(async () => {
      const all = (await bus.readValues(topics.telemetrySamples)).filter((s) => s.assetId === assetId);
      return all.length >= 3 && all;
    }, 60_000, 'the three valid samples behind the bomb');
    expect(samples.map((s) => s.metrics.latency_ms)).toEqual([41, 42, 43]);

    const letters = await eventually(async () => {
      const all = await bus.readAll(`${prefix}telemetry.raw.dlq`);
      return all.length >= 1 && all.map((l) => decodeDeadLetter(l.value));
    }, 30_000, 'the bomb on telemetry.raw.dlq');
    expect(letters).toHaveLength(1);
    expect(letters[0]!.errorCode).toBe('DECODE_FAILED');
    expect(letters[0]!.reason).toMatch(/metrics: map block claims 1000000000 items of at least 9 byte\(s\), 8 bytes remain/);
    expect(letters[0]!.value?.equals(bomb)).toBe(true);

    const health = await fetch(`${ingest.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    expect(health.status).toBe(200);
    const ready = await fetch(`${ingest.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect(ready.status).toBe(200);
  });
});
