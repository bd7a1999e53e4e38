/**
 * The planner service: MAESTRO charter.declare, goal.refine, graph.commit, graph.diff, graph.replan,
 * query.goals and the methods plan and replan, answered over Kafka for the gateway.
 *
 * Design
 * - Consumes `protocol.requests` in its own group (`<prefix>planner`), handles only its operations
 *   and ignores the dispatcher's; answers on `protocol.replies` keyed by `replyTo`, with one audit
 *   record per call (`protocol.<operation>`, ok | refused | error) in the same `sendMany`. CPU time
 *   per request (process.cpuUsage) goes into `cpuMicros`; it is process-wide, so with two partitions
 *   handled at once it can include a little of the other's work.
 * - Requests are keyed by charter, so one charter's calls are handled in order by one replica;
 *   replicas scale by partition of `protocol.requests`.
 * - Tenancy: charter ids are per tenant (libs/protocol/src/charter-scope.ts): state is keyed by
 *   `<tenant>/<charterId>`, so a call only ever sees its own tenant's charters, and another tenant's
 *   use of an id cannot be told from its absence (`not_found`, or a fresh declaration).
 * - State is event-sourced on the compacted `plans` topic (./plan-state.ts): a charter record with
 *   goal summaries and one immutable record per goal version. Per request: one MGET of the working
 *   copy in Redis, decide with the pure core, commit the change to Redis (compare-and-set on the
 *   charter's revision, with the request's reply and audits kept by correlation id), then one
 *   `sendMany` of the new state + reply + audit. The reply therefore never precedes the copy the
 *   dispatcher reads, and a redelivered request is sent again rather than applied twice
 *   (libs/protocol says more).
 * - Before the first batch, and whenever Redis has lost the copy (a marker key is gone), the `plans`
 *   topic is replayed into Redis for the keys Redis lacks (or holds older): a restart or a Redis
 *   flush loses nothing.
 * - graph.commit is optimistic: `expectedVersion` must be the latest refined version, otherwise
 *   `version_conflict` with both numbers. Refusals of the core (cycle, budget_exhausted,
 *   deadline_infeasible, missing_premise, contradictory_constraints, …) pass through with their
 *   reasons and numbers.
 * - graph.replan reads the dispatcher's execution from Redis (read-only) for the progress when
 *   the payload has none; query.goals reads it for each goal's running/completed status.
 * - credit.trace is answered by the dispatcher, which holds the actuals (see its service.ts).
 */
import { topics } from '@maestro/contracts';
import { serveProtocol } from '@maestro/protocol';
import { defineService, integer } from '@maestro/runtime';
import { createPlannerOperations } from './operations';
import { createPlanStore, planReplayEntry, planStateRecords } from './plan-state';

export const definition = defineService({
  name: 'planner',
  defaultPort: 9101,
  config: {
    appliedTtlMs: integer('PLANNER_APPLIED_TTL_MS', 'How long a request\'s reply and audits are kept, to send them again on a redelivery without applying it twice', { default: 900_000, min: 60_000 }),
    heldRecheckMs: integer('PLANNER_HELD_RECHECK_MS', 'While a charter is held (a newest record of its stored state could not be read), how often the state topic is read again; the hold lifts once the record reads', { default: 60_000, min: 1_000 }),
  },
  topics: [topics.protocolRequests, topics.protocolReplies, topics.plans],
  async setup(ctx) {
    await serveProtocol(ctx, {
      stateSpec: topics.plans, toEntry: planReplayEntry(ctx.keys), appliedTtlMs: ctx.config.appliedTtlMs, heldRecheckMs: ctx.config.heldRecheckMs,
      operations: createPlannerOperations({ store: createPlanStore(ctx.redis, ctx.keys), keys: ctx.keys, now: ctx.now }),
      stateRecords: (keys) => planStateRecords(ctx.redis, keys),
    });
  },
});
