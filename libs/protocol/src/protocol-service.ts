/**
 * The wiring the planner and the dispatcher share: their working copy kept whole (replayed from
 * the compacted state topic at start and whenever Redis lost it), `protocol.requests` consumed in
 * the service's group with every partition handled at once, and the sends of those partitions
 * merged into shared produce requests.
 */
import { Gauge } from 'prom-client';
import { topics, type TopicSpec } from '@maestro/contracts';
import { createCoalescingProducer, subscription, type BusProducer, type TopicBatch } from '@maestro/bus';
import type { ConfigSpec, ServiceContext } from '@maestro/runtime';
import { heldIndexKey as heldIndexKeyOf, heldStateKey } from './held-charter';
import { UNOWNED_OPERATIONS_ANSWERED_BY } from './operation-owners';
import { createProtocolHandler, type Operation } from './protocol-handler';
import { createReplayGuard, type ReplayGuard, type ReplayGuardOptions } from './replay-guard';

/** A send not acknowledged by then fails the batch, which is retried (its requests re-sent, not re-applied). */
const SEND_TIMEOUT_MS = 30_000;

export interface ProtocolServiceOptions<T extends TopicSpec> {
  /** The compacted topic that holds the service's state. */
  stateSpec: T;
  toEntry: ReplayGuardOptions<T>['toEntry'];
  onReplayed?: ReplayGuardOptions<T>['onReplayed'];
  operations: Readonly<Record<string, Operation>>;
  /** The state records of keys a redelivered request wrote, from the working copy. */
  stateRecords(keys: readonly string[]): Promise<TopicBatch[]>;
  /** How long a request's reply and audits are kept for a redelivery. */
  appliedTtlMs: number;
  /** How often, while a charter is held, the state topic is read again to see whether its record reads now. */
  heldRecheckMs: number;
}

/** Starts serving the service's operations; returns the replay guard and the shared producer for its own timers. */
export async function serveProtocol<S extends ConfigSpec, T extends TopicSpec>(ctx: ServiceContext<S>, options: ProtocolServiceOptions<T>): Promise<{ replay: ReplayGuard; producer: BusProducer }> {
  const service = ctx.name;
  const heldIndexKey = heldIndexKeyOf(ctx.keys, service);
  new Gauge({
    name: 'maestro_state_held_charters',
    help: 'Charters held because a newest record of their stored state could not be read (their calls are refused state_unreadable), as Redis has them at the scrape',
    registers: [ctx.metrics],
    async collect() {
      try {
        this.set(await ctx.redis.scard(heldIndexKey));
      } catch {
        // Redis away: the readiness check says so, and the last value stands.
      }
    },
  });
  // The marker's name changes with the layout of the working copy: 'replayed.scoped' since keys are
  // scoped by tenant (./charter-scope.ts), so a copy laid out the old way is replayed into the new
  // keys on upgrade instead of being taken as whole.
  const replay = createReplayGuard({
    kafka: ctx.kafka, codecs: ctx.codecs, redis: ctx.redis, spec: options.stateSpec, logger: ctx.logger,
    groupPrefix: `${ctx.config.topicPrefix}${service}`, toEntry: options.toEntry, markerKey: ctx.keys.global(service, 'replayed.scoped'),
    producer: ctx.producer, heldKey: (scope) => heldStateKey(ctx.keys, service, scope), heldIndexKey, letteredKey: ctx.keys.global(service, 'held-lettered'),
    ...(options.onReplayed ? { onReplayed: options.onReplayed } : {}),
  });
  await replay.ensure();
  // A held charter comes back by itself once its record reads again (the registry restored, the
  // record written anew): the topic is read again at this pace while anything is held, not otherwise.
  const recheck = setInterval(() => {
    replay.recheckHeld().catch((err: unknown) => ctx.logger.warn({ err }, 'the recheck of held charters failed; the next one retries'));
  }, options.heldRecheckMs);
  ctx.lifecycle.onStop('held charters recheck', () => clearInterval(recheck));
  const producer = createCoalescingProducer(ctx.producer, { sendTimeoutMs: SEND_TIMEOUT_MS });
  const handler = createProtocolHandler({
    service, producer, redis: ctx.redis, logger: ctx.logger, audit: ctx.audit, now: ctx.now, operations: options.operations,
    appliedKey: (correlationId) => ctx.keys.key(service, 'applied', correlationId), appliedTtlMs: options.appliedTtlMs,
    stateRecords: options.stateRecords, replay, encode: (spec, value) => ctx.codecs.encode(spec, value as never),
    answerUnownedOperations: service === UNOWNED_OPERATIONS_ANSWERED_BY,
  });
  ctx.consumer([subscription(topics.protocolRequests, handler)], { partitionsConsumedConcurrently: topics.protocolRequests.partitions });
  return { replay, producer };
}
