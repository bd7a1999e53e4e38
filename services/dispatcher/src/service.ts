import { topics } from '@maestro/contracts';
import { subscription } from '@maestro/bus';
import { defineService } from '@maestro/runtime';

// The dispatcher joins its consumer group and reports ready; its domain logic is wired in issue #5.
export const definition = defineService({
  name: 'dispatcher',
  defaultPort: 9102,
  config: {},
  topics: [topics.protocolRequests, topics.protocolReplies],
  setup(ctx) {
    ctx.consumer([
      subscription(topics.protocolRequests, async (records) => {
        ctx.logger.debug({ topic: topics.protocolRequests.name, count: records.length }, 'records received before the dispatcher logic is wired (issue 5)');
      }),    ]);
  },
});
