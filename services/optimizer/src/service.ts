import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';

// The optimizer joins its consumer group and reports ready; its domain logic is wired in issue #4.
export const definition = defineService({
  name: 'optimizer',
  defaultPort: 9107,
  config: {},
  topics: [topics.telemetrySamples, topics.recommendations],
  setup(ctx) {
    ctx.consumer([
      subscription(topics.telemetrySamples, async (records) => {
        ctx.logger.debug({ topic: topics.telemetrySamples.name, count: records.length }, 'records received before the optimizer logic is wired (issue 4)');
      }),    ]);
  },
});
