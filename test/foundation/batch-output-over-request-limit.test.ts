import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { latencySignal } from '../support/fleet';

// Regression: ingest consumed ~10,000 signals in one fetch and published their samples in one
// request, which the broker refused as larger than message.max.bytes; the retries stalled the
// partition for good. Sends are now split below the limit.
const prefix = uniquePrefix('bigbatch');
const total = 30_000;
let bus: TestBus;
let ingest: SpawnedService | undefined;

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples]);
  // Everything is on the topic before ingest starts, so its first fetches are as large as they get.
  const now = Date.now();
  const signals = Array.from({ length: total }, (_, i) => latencySignal(`asset-${i % 300}`, now - 60_000 + Math.floor(i / 300) * 10, 40 + (i % 7)));
  for (let i = 0; i < total; i += 5_000) await bus.producer.send(topics.telemetryRaw, signals.slice(i, i + 5_000).map((value) => ({ key: value.assetId, value })));
  ingest = await spawnService('ingest', { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix });
});

afterAll(async () => {
  await ingest?.stop();
  await bus?.close();
});

describe('a consumed batch whose output is larger than one produce request may be', () => {
  it('is published in full', async () => {
    const samplesTopic = `${prefix}telemetry.samples`;
    const admin = bus.kafka.admin();
    await admin.connect();
    // Ingest publishes in transactions: each commit marker takes an offset too, so the watermarks
    // only say when reading can start; the records themselves are counted below.
    await eventually(async () => {
      const offsets = await admin.fetchTopicOffsets(samplesTopic);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0) >= total;
    }, 90_000, `at least ${total} offsets on the samples topic`);
    await admin.disconnect();
    const published = await eventually(async () => {
      const count = (await bus.readAll(samplesTopic, 60_000)).length;
      return count >= total && count;
    }, 90_000, `all ${total} samples to be published`);
    expect(published).toBe(total);
  });
});
