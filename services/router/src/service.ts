import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';

// The router joins its consumer group and reports ready; its domain logic is wired in issue #4.
export const definition = defineService({
  name: 'router',
  defaultPort: 9108,
  config: {},
  topics: [topics.jobRequests, topics.jobsRouted],
  setup(ctx) {
    ctx.consumer([
      subscription(topics.jobRequests, async (records) => {
        ctx.logger.debug({ topic: topics.jobRequests.name, count: records.length }, 'records received before the router logic is wired (issue 4)');
      }),    ]);
  },
});
