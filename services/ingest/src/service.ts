import { topics } from '@maestro/contracts';
import { createTransactionalSenders, subscription } from '@maestro/bus';
import { integer, defineService } from '@maestro/runtime';
import { resolveSignalLimits } from '@maestro/telemetry';
import { resolveOrderingConfig } from './domain';
import { createIngestHandler } from './ingest-handler';
import { createStreamStore } from './stream-store';

export const definition = defineService({
  name: 'ingest',
  defaultPort: 9103,
  config: {
    maxClockSkewMs: integer('INGEST_MAX_CLOCK_SKEW_MS', 'How far ahead of the receiver a signal\'s timestamp may be', { default: 5_000, min: 0 }),
    maxAgeMs: integer('INGEST_MAX_AGE_MS', 'How old a signal may be when it arrives', { default: 300_000, min: 1 }),
    lateToleranceMs: integer('INGEST_LATE_TOLERANCE_MS', 'How far behind the newest sample of its asset a late sample is still accepted', { default: 10_000, min: 0 }),
    streamStateTtlMs: integer('INGEST_STREAM_STATE_TTL_MS', 'How long an asset\'s ordering state is kept after its last sample', { default: 3_600_000, min: 1_000 }),
  },
  topics: [topics.telemetryRaw, topics.telemetrySamples],
  setup(ctx) {
    const ordering = resolveOrderingConfig({ lateToleranceMs: ctx.config.lateToleranceMs });
    const senders = createTransactionalSenders(ctx.kafka, ctx.codecs);
    ctx.lifecycle.onStop('transactional producers', () => senders.close());
    const handler = createIngestHandler({
      store: createStreamStore(ctx.redis, ctx.keys, ordering, ctx.config.streamStateTtlMs),
      limits: resolveSignalLimits({ maxClockSkewMs: ctx.config.maxClockSkewMs, maxAgeMs: ctx.config.maxAgeMs }),
      ordering,
      // Samples and the group's offset in one transaction per batch: exactly once on telemetry.samples.
      publish: (records, position) => (position ? senders.send(position, [{ spec: topics.telemetrySamples, records }]) : ctx.producer.send(topics.telemetrySamples, records)),
      now: ctx.now,
      logger: ctx.logger,
    });
    // Only the transactions commit the group's offsets. The chaos benchmark caught the consumer's own
    // commit of an older offset landing after a transaction's (kafkajs commits resolved offsets on
    // its own schedule): ingest, killed then, read the batch again and published it twice.
    ctx.consumer([subscription(topics.telemetryRaw, handler)], { partitionsConsumedConcurrently: 3, commitOffsets: false });
  },
});
