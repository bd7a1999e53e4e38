import { topics } from '@maestro/contracts';
import { createRequester } from '@maestro/bus';
import { integer, defineService } from '@maestro/runtime';
import { resolveSignalLimits } from '@maestro/telemetry';
import { registerTelemetryRoute } from './telemetry-route';

export const definition = defineService({
  name: 'gateway',
  defaultPort: 8080,
  config: {
    telemetryMaxBatch: integer('GATEWAY_TELEMETRY_MAX_BATCH', 'Most signals accepted by one POST /v1/telemetry', { default: 1_000, min: 1 }),
  },
  topics: [topics.telemetryRaw, topics.protocolRequests, topics.protocolReplies],
  setup(ctx) {
    registerTelemetryRoute(ctx.http, {
      limits: resolveSignalLimits(),
      maxBatch: ctx.config.telemetryMaxBatch,
      publish: (records) => ctx.producer.send(topics.telemetryRaw, records),
      now: ctx.now,
    });
    // Protocol calls wait on replies addressed to this replica (the protocol routes arrive with issue #5).
    const requester = createRequester({
      kafka: ctx.kafka, codecs: ctx.codecs, producer: ctx.producer, requestSpec: topics.protocolRequests, replySpec: topics.protocolReplies,
      replicaId: ctx.config.replicaId, groupPrefix: `${ctx.config.topicPrefix}gateway`, logger: ctx.logger, metrics: ctx.busMetrics,
    });
    ctx.readiness.add('reply group', () => {
      if (!requester.joined()) throw new Error('not a member of its reply group');
    });
    ctx.lifecycle.onStop('requester', () => requester.stop());
    return requester.start();
  },
});
