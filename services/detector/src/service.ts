import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { decimal, integer, optionalText, defineService } from '@maestro/runtime';
import { resolveDetectorConfig } from './domain';
import { createDetectHandler } from './detect-handler';
import { createSeriesStore } from './series-store';

export const definition = defineService({
  name: 'detector',
  defaultPort: 9105,
  config: {
    threshold: decimal('DETECTOR_THRESHOLD', 'Anomaly score at or above which an anomaly is published (the default is chosen by cross-validation on NAB)', { default: 0.45, min: 0, max: 1 }),
    warmupSamples: integer('DETECTOR_WARMUP_SAMPLES', 'Samples a series learns from before it may raise anomalies', { default: 120, min: 2 }),
    refractorySamples: integer('DETECTOR_REFRACTORY_SAMPLES', 'Samples after an anomaly during which the same event is not raised again', { default: 120, min: 0 }),
    metrics: optionalText('DETECTOR_METRICS', 'Comma-separated metrics to watch; empty watches all', /^[a-z_,]+$/),
    stateTtlMs: integer('DETECTOR_STATE_TTL_MS', 'How long a silent series keeps its learned state', { default: 7 * 86_400_000, min: 60_000 }),
  },
  topics: [topics.telemetrySamples, topics.anomalies],
  setup(ctx) {
    const config = resolveDetectorConfig({ threshold: ctx.config.threshold, warmupSamples: ctx.config.warmupSamples, refractorySamples: ctx.config.refractorySamples });
    const handler = createDetectHandler({
      store: createSeriesStore(ctx.redis, ctx.keys, ctx.config.stateTtlMs),
      config,
      metrics: new Set(ctx.config.metrics.split(',').filter(Boolean)),
      publish: (records) => ctx.producer.send(topics.anomalies, records),
      joined: (event) => ctx.logger.info(event, 'joined the open incident of its series instead of raising a second anomaly'),
      now: ctx.now,
    });
    ctx.consumer([subscription(topics.telemetrySamples, handler)], { partitionsConsumedConcurrently: 3 });
  },
});
