import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the bus reports, in Prometheus form, on the service's /metrics. */
export interface BusMetrics {
  consumed: Counter<'topic'>;
  produced: Counter<'topic'>;
  deadLettered: Counter<'topic' | 'code'>;
  /** Dead letters their `.dlq` topic refused even as a minimal summary: the record was skipped, logged, and is counted here. */
  deadLettersLost: Counter<'topic' | 'code'>;
  batchSeconds: Histogram<'topic'>;
  lag: Gauge<'topic' | 'partition'>;
  stalled: Gauge<'topic' | 'partition'>;
}

export function createBusMetrics(registry: Registry): BusMetrics {
  return {
    consumed: new Counter({ name: 'maestro_records_consumed_total', help: 'Records consumed and handled', labelNames: ['topic'], registers: [registry] }),
    produced: new Counter({ name: 'maestro_records_produced_total', help: 'Records produced', labelNames: ['topic'], registers: [registry] }),
    deadLettered: new Counter({ name: 'maestro_records_dead_lettered_total', help: 'Records sent to a dead-letter topic', labelNames: ['topic', 'code'], registers: [registry] }),
    deadLettersLost: new Counter({ name: 'maestro_dead_letters_lost_total', help: 'Refused records whose dead letter the .dlq topic refused for good, even summarised; each is skipped with an error log line as its only record', labelNames: ['topic', 'code'], registers: [registry] }),
    batchSeconds: new Histogram({
      name: 'maestro_batch_duration_seconds', help: 'Time to handle one consumed batch, commit included', labelNames: ['topic'], registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    lag: new Gauge({ name: 'maestro_consumer_lag', help: 'Records between the last handled offset and the high watermark, the stuck ones included while a partition retries', labelNames: ['topic', 'partition'], registers: [registry] }),
    stalled: new Gauge({ name: 'maestro_consumer_stalled', help: '1 while a partition has retried the same records for longer than CONSUMER_STALL_AFTER_MS', labelNames: ['topic', 'partition'], registers: [registry] }),
  };
}
