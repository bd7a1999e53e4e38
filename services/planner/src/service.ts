import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';

// The planner joins its consumer group and reports ready; its domain logic is wired in issue #5.
export const definition = defineService({
  name: 'planner',
  defaultPort: 9101,
  config: {},
  topics: [topics.protocolRequests, topics.protocolReplies],
  setup(ctx) {
    ctx.consumer([
      subscription(topics.protocolRequests, async (records) => {
        ctx.logger.debug({ topic: topics.protocolRequests.name, count: records.length }, 'records received before the planner logic is wired (issue 5)');
      }),    ]);
  },
});
