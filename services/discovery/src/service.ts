import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';

// The discovery joins its consumer group and reports ready; its domain logic is wired in issue #3.
export const definition = defineService({
  name: 'discovery',
  defaultPort: 9104,
  config: {},
  topics: [topics.telemetrySamples, topics.assets],
  setup(ctx) {
    ctx.consumer([
      subscription(topics.telemetrySamples, async (records) => {
        ctx.logger.debug({ topic: topics.telemetrySamples.name, count: records.length }, 'records received before the discovery logic is wired (issue 3)');
      }),    ]);
  },
});
