/**
 * The dispatcher service: MAESTRO dispatch.next, outcome.report, credit.trace and the method
 * allocate, answered over Kafka for the gateway.
 *
 * Design
 * - Consumes `protocol.requests` in its own group (`<prefix>dispatcher`), handles only its
 *   operations and ignores the planner's; answers on `protocol.replies` keyed by `replyTo`, with one
 *   audit record per call plus one per domain event, in the same `sendMany` as the new state. CPU
 *   time per request (process.cpuUsage) goes into `cpuMicros`.
 * - Tenancy: charter ids are per tenant (libs/protocol/src/charter-scope.ts): a call reads only its
 *   own tenant's charter of that id, so another tenant's charters answer `not_found` as absent ones.
 * - State is event-sourced on the compacted `executions` topic, one record per charter
 *   (./execution-store.ts). Per request: one MGET (own executions + the planner's charter), a
 *   second MGET only when a goal's committed version is new, decide with the pure cores, `sendMany`
 *   then the commit to Redis (compare-and-set on the charter's revision, with the request's outbound
 *   records kept by correlation id and the lease index in step), then one `sendMany` of state +
 *   reply + audits. Before the first batch, and whenever Redis has lost the copy, the topic is
 *   replayed into Redis for keys Redis lacks (or holds older), so a restart or a flush loses nothing.
 * - The plan comes from the planner's working copy in Redis (read-only): on first use of a committed
 *   version the execution starts; a committed re-plan of the running version is applied in place
 *   (applyReplan); another newer commit cancels the running execution and starts the new one. The
 *   charter and executors are copied into the execution record, so a running plan keeps being
 *   served while the planner restarts or rebuilds its copy.
 * - Work orders are leased (DISPATCHER_LEASE_MS, at least twice the step's estimate). Every commit
 *   files its charter in a sorted set by next lease expiry; a timer on every replica
 *   (DISPATCHER_SWEEP_INTERVAL_MS) claims the charters that are due and sends each an internal
 *   `dispatch.expire` request on its partition, so expiries are applied by the charter's owner in
 *   order with its calls, whichever replica served the charter before. dispatch.next also expires
 *   due leases first.
 * - A step failed for good (`replan_required`) is re-planned at once, in-process, with the
 *   planner's pure `replan` and the charter's executors, then `applyReplan`; a refused re-plan
 *   cancels the execution and the refusal is audited. (The planner's own graph.replan remains the
 *   way to re-plan on request; its committed result is applied as above.)
 * - credit.trace is answered here, not by the planner: the actuals it needs are the dispatcher's
 *   state, and the gateway only waits for a reply to its correlation id, whoever sends it.
 * - Refusal codes of the dispatcher core are mapped to the gateway's catalog; "nothing ready for
 *   you now" (no ready step, re-plan pending, ineligible, complete) is an ok reply with no work
 *   order and the reasons, because a polling executor has made no mistake.
 */
import { randomUUID } from 'node:crypto';
import { topics } from '@maestro/contracts';
import { INTERNAL, parseCharterScope, serveProtocol } from '@maestro/protocol';
import { defineService, integer } from '@maestro/runtime';
import { claimDueCharters, executionReplayEntry, executionStateRecords, leaseIndexKey } from './execution-store';
import { createDispatcherOperations } from './operations';

/** Most charters one timer tick asks to expire. */
const EXPIRIES_PER_TICK = 500;

export const definition = defineService({
  name: 'dispatcher',
  defaultPort: 9102,
  config: {
    leaseMs: integer('DISPATCHER_LEASE_MS', 'Shortest work-order lease; an executor silent for longer loses the step to another', { default: 60_000, min: 1 }),
    sweepIntervalMs: integer('DISPATCHER_SWEEP_INTERVAL_MS', 'How often expired leases are looked for and returned to ready', { default: 1_000, min: 50 }),
    appliedTtlMs: integer('DISPATCHER_APPLIED_TTL_MS', 'How long a request\'s reply and audits are kept, to send them again on a redelivery without applying it twice', { default: 900_000, min: 60_000 }),
    heldRecheckMs: integer('DISPATCHER_HELD_RECHECK_MS', 'While a charter is held (a newest record of its stored state could not be read), how often the state topic is read again; the hold lifts once the record reads', { default: 60_000, min: 1_000 }),
  },
  topics: [topics.protocolRequests, topics.protocolReplies, topics.executions],
  async setup(ctx) {
    const { replay, producer } = await serveProtocol(ctx, {
      stateSpec: topics.executions, toEntry: executionReplayEntry(ctx.keys), appliedTtlMs: ctx.config.appliedTtlMs, heldRecheckMs: ctx.config.heldRecheckMs,
      operations: createDispatcherOperations({ redis: ctx.redis, keys: ctx.keys, now: ctx.now, config: { leaseMs: ctx.config.leaseMs } }),
      stateRecords: (keys) => executionStateRecords(ctx.redis, keys),
      // Replayed charters join the lease index at score 0: the next tick asks for each one's expiry, which files it.
      onReplayed: async (charterIds) => {
        if (charterIds.length > 0) await ctx.redis.zadd(leaseIndexKey(ctx.keys), ...charterIds.flatMap((id) => ['0', id]));
      },
    });

    // Lease expiry: any replica's timer claims the charters whose next expiry has passed and asks
    // for `dispatch.expire` on each charter's partition, so the replica that owns the charter expires
    // its leases in order with its calls. A claim left unfiled (the request was lost with a replica)
    // comes up again after a few ticks.
    const reclaimAfterMs = Math.max(5_000, 5 * ctx.config.sweepIntervalMs);
    let ticking = false;
    const timer = setInterval(() => {
      if (ticking) return;
      ticking = true;
      void (async () => {
        await replay.ensure();
        const nowMs = ctx.now();
        // Members are charter scopes: the request acts in the charter's own tenant. A bare charter id
        // was filed before ids were scoped by tenant; its charter is filed again under its scope by
        // the replay that followed the upgrade, so the old member is dropped.
        const claimed = await claimDueCharters(ctx.redis, ctx.keys, nowMs, reclaimAfterMs, EXPIRIES_PER_TICK);
        const unscoped = claimed.filter((member) => parseCharterScope(member) === null);
        if (unscoped.length > 0) await ctx.redis.zrem(leaseIndexKey(ctx.keys), ...unscoped);
        const due = claimed.map(parseCharterScope).filter((d) => d !== null);
        if (due.length === 0) return;
        await producer.send(topics.protocolRequests, due.map(({ tenant, charterId }) => ({
          key: charterId,
          value: {
            correlationId: randomUUID(), replyTo: INTERNAL, operation: 'dispatch.expire', charterId, tenant, caller: `dispatcher/${ctx.config.replicaId}`,
            payloadJson: JSON.stringify({ charterId }), deadlineAtMs: nowMs + reclaimAfterMs, sentAtMs: nowMs,
          },
        })));
      })().catch((err: unknown) => ctx.logger.error({ err }, 'lease expiry tick failed; the next one retries'))
        .finally(() => { ticking = false; });
    }, ctx.config.sweepIntervalMs);
    ctx.lifecycle.onStop('lease expiry timer', () => clearInterval(timer));
  },
});
