/**
 * The protocol adapter of the planner and the dispatcher: reads `protocol.requests`, runs the
 * operations this service owns (ignores the others'), and answers on `protocol.replies` keyed by the
 * waiting replica, with one audit record per call and the new state in the same `sendMany`.
 *
 * Order per request: decide from the working copy, then commit the change to Redis (checked against
 * the entity's revision, together with the request's reply, audits and the keys it wrote, kept
 * under its correlation id). What a batch's requests send — state, replies, audits — goes out in one produce
 * request once the batch is decided. A request redelivered after a crash or a failed send finds its
 * kept records and sends them again, so it is applied once whichever replica sees it
 * (./state-commit.ts says why Redis goes first). A commit that finds the revision moved (a replica
 * that held the partition a moment ago) decides again on the fresh copy.
 *
 * Before an operation sees a request, its payload is checked against the published schema and its
 * deadline against the clock (./request-screen.ts). After the decision, and before anything is
 * committed, the deadline is checked again (a decision can take a while) and every state record it
 * would produce is measured as it will be sent: one that could not fit the broker's message limit
 * with room to spare refuses the call (`limit_exceeded`), so a change never exists only in Redis.
 * Neither refusal keeps anything under the correlation id, so a retry with the same id is decided
 * afresh; a request that was applied gets its kept reply whatever its own deadline says.
 *
 * Every change of a charter's state passes through its partition of `protocol.requests` — the
 * dispatcher's lease expiry too, as an internal request — so one replica writes a charter at a time
 * and its state records reach the compacted topic in revision order.
 *
 * Failure split: an error thrown by I/O (wrapped in `InfraError` by `infra`) fails the batch, which
 * the consumer retries with backoff and never commits past (Redis or Kafka down must not turn into
 * refusals); a Redis command refused for good (`StoreError`: WRONGTYPE, a script error, OOM) and any
 * other error — Maestro's own bug in deciding — are answered as status `error` (`internal`) with an
 * incident id and an audit record, so the caller is not left waiting and the partition is not
 * blocked forever.
 */
import { randomUUID } from 'node:crypto';
import { topics, type ProtocolReply, type ProtocolRequest } from '@maestro/contracts';
import { BROKER_MAX_MESSAGE_BYTES, isBusError, sendableBytes, type BatchHandler, type BusProducer, type OutboundRecord, type TopicBatch } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import type { AuditRecord, TopicSpec } from '@maestro/contracts';
import type { Redis } from '@maestro/state';
import type { Logger } from 'pino';
import { compileMaestroValidators, type MaestroValidators } from './payload-validation';
import { charterScope } from './charter-scope';
import { heldRefusal } from './held-charter';
import type { ReplayGuard } from './replay-guard';
import { deadlinePassed, screenRequest } from './request-screen';
import { commitState, type AppliedEntry, type StateCommit } from './state-commit';
import { isOwnedOperation } from './operation-owners';
import { isPermanentStoreError, StoreError } from './store-errors';

/**
 * The `replyTo` of a request a service sends itself (the dispatcher's lease expiry): it goes through
 * the charter's partition like any call, so one replica changes a charter's state, in order, but
 * nobody waits for a reply and only its domain audits are recorded.
 */
export const INTERNAL = '';

/** How often a request is decided again when its commit finds the state moved, before the batch is retried. */
const MAX_DECISIONS = 5;

/**
 * The most a state record may take as it will be sent (compressed when large): half the broker's
 * message limit, so that a record accepted today still fits after the next few changes of the same
 * entity, and a batch holding it and its reply stays under the limit.
 * @default 524_294
 */
export const MAX_STATE_RECORD_BYTES = Math.floor(BROKER_MAX_MESSAGE_BYTES / 2);

/** An I/O failure: the batch is retried rather than answered. */
export class InfraError extends Error {
  /** Marks it transient for the bus's classification (libs/bus transience.ts): the batch is retried, not dead-lettered. */
  readonly transient = true;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'InfraError';
  }
}

/**
 * Tags a failing I/O promise as infrastructure, so the handler retries instead of answering. What
 * retrying cannot get past is passed on as permanent, since it would hold the partition for ever: a
 * bus error that is not retryable (a record the broker can never take) as it is, and a Redis command
 * refused for good (WRONGTYPE, a script error, OOM; ./store-errors.ts) as a {@link StoreError}, which
 * the handler answers as an `internal` error with nothing applied.
 */
export async function infra<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isBusError(error) && !error.retryable) throw error;
    if (isPermanentStoreError(error)) throw new StoreError(error as Error);
    throw new InfraError(error);
  }
}

/** What an operation answers. `code` must be in services/gateway/src/domain/errors.ts. */
export type Answer =
  | { readonly status: 'ok'; readonly result: unknown }
  | { readonly status: 'refused'; readonly code: string; readonly reasons: readonly string[]; readonly details?: unknown };

/** An operation's decision and what carries it out. */
export interface Decision {
  readonly answer: Answer;
  /** The change of the working copy, committed to Redis before anything is sent. */
  readonly commit?: StateCommit;
  /** State records sent together with the reply, once the commit is in. */
  readonly batches?: readonly TopicBatch[];
  /** Audit entries beyond the per-call one (domain events). */
  readonly audits?: readonly AuditEntry[];
  /** Extra details for the per-call audit record. */
  readonly auditDetails?: Record<string, unknown>;
}

/** One operation: the request and its parsed payload in, a decision out. */
export type Operation = (request: ProtocolRequest, payload: Record<string, unknown>) => Promise<Decision>;

/** Shorthands for operations. */
export const ok = (result: unknown, rest: Omit<Decision, 'answer'> = {}): Decision => ({ answer: { status: 'ok', result }, ...rest });
export const refused = (code: string, reasons: readonly string[], details?: unknown, rest: Omit<Decision, 'answer'> = {}): Decision => ({
  answer: { status: 'refused', code, reasons, ...(details === undefined ? {} : { details }) }, ...rest,
});

export interface ProtocolHandlerDeps {
  service: string;
  producer: BusProducer;
  redis: Redis;
  /** The Redis key under which a request's reply and audits are kept (by correlation id). */
  appliedKey(correlationId: string): string;
  /** How long they are kept: longer than a redelivery can take (session timeout plus backoff). */
  appliedTtlMs: number;
  /**
   * The state records to send again for a redelivered request, built from the working copy of the
   * keys it wrote as it is now — never older than what the request wrote, and the compacted topic
   * wants the newest. (States are kept by reference: a dispatcher's charter can be megabytes.)
   */
  stateRecords(keys: readonly string[]): Promise<TopicBatch[]>;
  logger: Logger;
  audit(entry: AuditEntry): OutboundRecord<AuditRecord>;
  now(): number;
  operations: Readonly<Record<string, Operation>>;
  /** Keeps the working copy whole: its marker is read with the batch's kept replies, and a lost copy restored first. */
  replay?: Pick<ReplayGuard, 'markerKey' | 'heldKey' | 'restore'>;
  /**
   * A record encoded as it will be produced, to measure it before the commit (the service's codecs).
   * @default its JSON, which is never smaller than its Avro encoding
   */
  encode?(spec: TopicSpec, value: unknown): Buffer;
  /** @default compiled from schemas/maestro/v1 */
  validators?: MaestroValidators;
  /** @default MAX_STATE_RECORD_BYTES */
  maxStateRecordBytes?: number;
  /**
   * Whether this service refuses requests for operations no service serves (./operation-owners.ts),
   * so that each gets a reply and an audit record. One service of the deployment does. @default false
   */
  answerUnownedOperations?: boolean;
}

/** Records as kept in Redis: topic names instead of specs, no trace. */
type StoredBatch = { topic: string; records: { key: string; value: unknown; headers?: Record<string, string> }[] };

/** What a request that changed state sends, as kept under its correlation id. */
interface AppliedRecord {
  /** The keys its commit wrote, whose records are rebuilt from Redis when it is sent again. */
  stateKeys: string[];
  /** Its reply and audits. */
  records: StoredBatch[];
}

const specsByName = new Map<string, TopicSpec>(Object.values(topics).map((spec) => [spec.name, spec]));

function toStored(batches: readonly TopicBatch[]): StoredBatch[] {
  return batches.map((b) => ({ topic: b.spec.name, records: b.records.map((r) => ({ key: r.key, value: r.value, ...(r.headers ? { headers: r.headers } : {}) })) }));
}

function fromStored(stored: StoredBatch[]): TopicBatch[] {
  return stored.map((b) => {
    const spec = specsByName.get(b.topic);
    if (!spec) throw new Error(`a stored request names topic '${b.topic}', which the catalog does not have`);
    return { spec, records: b.records } as TopicBatch;
  });
}

/** The batch handler for `protocol.requests`: one request at a time, in partition (charter) order. */
export function createProtocolHandler(deps: ProtocolHandlerDeps): BatchHandler<ProtocolRequest> {
  const { operations, logger } = deps;
  const validators = deps.validators ?? compileMaestroValidators();
  const encode = deps.encode ?? ((_spec: TopicSpec, value: unknown) => Buffer.from(JSON.stringify(value)));
  const maxStateRecordBytes = deps.maxStateRecordBytes ?? MAX_STATE_RECORD_BYTES;

  async function decide(request: ProtocolRequest, operation: Operation): Promise<Decision> {
    const screened = screenRequest(request, deps.now(), validators);
    if (!screened.ok) return refused(screened.refusal.code, screened.refusal.reasons, screened.refusal.details);
    const decision = await operation(request, screened.payload);
    if (!decision.commit) return decision;
    const late = deadlinePassed(request, deps.now());
    if (late) return refused(late.code, late.reasons, late.details);
    return oversized(request, decision) ?? decision;
  }

  /**
   * A refusal when a record of the decision would not fit, measured as it will be sent; else null.
   * State records are encoded with the topic's codec; the reply by its result's JSON, which is most
   * of it (audit records carry ids and reasons, never state).
   */
  function oversized(request: ProtocolRequest, decision: Decision): Decision | null {
    const over: { topic: string; key: string; bytes: number }[] = [];
    for (const batch of decision.batches ?? []) {
      for (const record of batch.records) {
        const bytes = sendableBytes(encode(batch.spec, record.value));
        if (bytes > maxStateRecordBytes) over.push({ topic: batch.spec.name, key: record.key, bytes });
      }
    }
    if (decision.answer.status === 'ok') {
      const bytes = sendableBytes(Buffer.from(JSON.stringify(decision.answer.result ?? null)));
      if (bytes > maxStateRecordBytes) over.push({ topic: topics.protocolReplies.name, key: request.replyTo, bytes });
    }
    if (over.length === 0) return null;
    return refused('limit_exceeded', over.map((o) => `the result would make the ${o.topic} record '${o.key}' ${o.bytes} bytes as sent, over the ${maxStateRecordBytes} bytes a record may take; nothing was applied (docs/protocol.md lists the supported maxima)`), {
      records: over, maxBytes: maxStateRecordBytes,
    });
  }

  /**
   * The answer to a request that Maestro itself failed on (a bug in deciding, a Redis command refused
   * for good): an `internal` error with an incident id, logged under it. Nothing of it is applied and
   * nothing is kept, so a retry is decided afresh.
   */
  function failure(request: ProtocolRequest, error: unknown): Decision {
    const incidentId = randomUUID();
    const what = error instanceof StoreError ? 'the state store refused a command' : 'operation failed';
    logger.error({ err: error, incidentId, operation: request.operation, charterId: request.charterId, correlationId: request.correlationId }, what);
    return { answer: { status: 'refused', code: 'internal', reasons: [`${deps.service} failed on ${request.operation}; incident ${incidentId}`], details: { incidentId } } };
  }

  /** Decides and commits one request; returns what it sends, and what it kept under its correlation id if it committed. */
  async function handle(request: ProtocolRequest, operation: Operation): Promise<{ outbound: TopicBatch[]; kept: string | null }> {
    for (let attempt = 1; ; attempt++) {
      const cpuStart = process.cpuUsage();
      let decision: Decision;
      let status: ProtocolReply['status'];
      try {
        decision = await decide(request, operation);
        status = decision.answer.status;
      } catch (error) {
        if (error instanceof InfraError) throw error;
        decision = failure(request, error);
        status = 'error';
      }
      const cpu = process.cpuUsage(cpuStart);
      const { state, rest } = outboundOf(request, decision, status, cpu.user + cpu.system);
      const outbound = [...state, ...rest];
      let applied: AppliedEntry | null = null;
      if (status !== 'error' && decision.commit) {
        const entry: AppliedRecord = { stateKeys: decision.commit.writes.map((w) => w.key), records: toStored(rest) };
        applied = { key: deps.appliedKey(request.correlationId), json: JSON.stringify(entry), ttlMs: deps.appliedTtlMs };
        let committed;
        try {
          committed = await infra(commitState(deps.redis, decision.commit, applied));
        } catch (error) {
          // The commit script checks everything that can refuse before it writes (state-commit.ts),
          // so a refused commit applied nothing: the call is answered as failed, not retried for ever.
          if (!(error instanceof StoreError)) throw error;
          const failed = outboundOf(request, failure(request, error), 'error', cpu.user + cpu.system);
          return { outbound: [...failed.state, ...failed.rest], kept: null };
        }
        if (!committed.ok) {
          if (attempt < MAX_DECISIONS) continue;
          throw new InfraError(new Error(`${request.charterId} kept moving (revision ${committed.currentRevision}, decided on ${decision.commit.guard.expectedRevision}) over ${MAX_DECISIONS} decisions of ${request.operation} ${request.correlationId}`));
        }
      }
      return { outbound, kept: applied?.json ?? null };
    }
  }

  /** The request's state records, and the rest (reply, audits). */
  function outboundOf(request: ProtocolRequest, decision: Decision, status: ProtocolReply['status'], cpuMicros: number): { state: TopicBatch[]; rest: TopicBatch[] } {
    const { answer } = decision;
    const reply: ProtocolReply = {
      correlationId: request.correlationId,
      replyTo: request.replyTo,
      status,
      resultJson: answer.status === 'ok' ? JSON.stringify(answer.result ?? null) : null,
      refusalCode: answer.status === 'refused' ? answer.code : null,
      reasons: answer.status === 'refused' ? [...answer.reasons] : [],
      detailsJson: answer.status === 'refused' && answer.details !== undefined ? JSON.stringify(answer.details) : null,
      service: deps.service,
      cpuMicros,
      repliedAtMs: deps.now(),
    };
    const callAudit = deps.audit({
      kind: `protocol.${request.operation}`,
      outcome: status === 'ok' ? 'ok' : status === 'refused' ? 'refused' : 'error',
      subjectId: request.charterId,
      reasons: reply.reasons,
      details: {
        correlationId: request.correlationId, tenant: request.tenant, caller: request.caller, cpuMicros,
        ...(answer.status === 'refused' ? { code: answer.code, details: answer.details ?? null } : {}),
        ...decision.auditDetails,
      },
    });
    const internal = request.replyTo === INTERNAL;
    return {
      state: status === 'error' ? [] : [...decision.batches ?? []],
      rest: [
        ...(internal ? [] : [{ spec: topics.protocolReplies, records: [{ key: request.replyTo, value: reply }] }]),
        { spec: topics.audit, records: [...(internal && status !== 'error' ? [] : [callAudit]), ...(status === 'error' ? [] : (decision.audits ?? []).map(deps.audit))] },
      ],
    };
  }

  /** The refusal of a call on a charter the replay held: its stored state cannot be read (./compacted-replay.ts). */
  function heldCharterRefusal(request: ProtocolRequest, text: string): Decision {
    const { reasons, details } = heldRefusal(text, `charter '${request.charterId}' is held by ${deps.service}`, (held) => {
      const dlq = [...new Set(held.records.map((r) => `${r.topic}.dlq`))].join(', ');
      return `Nothing was applied: acting on an older record could repeat work already done. The record is in ${dlq}; the service reads the topic again while the charter is held, and lifts the hold once the record reads (a restored schema registry, say, or the record written anew: docs/architecture.md, "A held charter")`;
    });
    return refused('state_unreadable', reasons, details);
  }

  /** The refusal of a request for an operation no service serves. */
  function unownedRefusal(request: ProtocolRequest): TopicBatch[] {
    const known = Object.keys(validators.payload);
    const decision = refused('unknown_operation', [`'${request.operation.slice(0, 200)}' is not an operation any Maestro service serves; the operations are ${known.join(', ')}`], { operations: known });
    const { state, rest } = outboundOf(request, decision, 'refused', 0);
    return [...state, ...rest];
  }

  return async (records) => {
    const values = records.map((r) => r.value);
    const unowned = deps.answerUnownedOperations ? values.filter((request) => !isOwnedOperation(request.operation)) : [];
    const mine = values.filter((request) => Object.hasOwn(operations, request.operation));
    if (unowned.length > 0) {
      logger.warn({ operations: [...new Set(unowned.map((r) => r.operation.slice(0, 200)))], count: unowned.length }, 'requests for operations no service serves; refused');
      await infra(deps.producer.sendMany(mergeBySpec(unowned.flatMap(unownedRefusal))));
    }
    if (mine.length === 0) return;
    // One round trip for the whole batch: whether the working copy is whole, and which of these
    // requests were applied already (a redelivery).
    const applied = mine.map((request) => deps.appliedKey(request.correlationId));
    const heldKeys = deps.replay ? mine.map((request) => deps.replay!.heldKey(charterScope(request.tenant, request.charterId))) : [];
    let stored: (string | null)[];
    let held: (string | null)[];
    try {
      const read = await infra(deps.redis.mget(deps.replay ? [deps.replay.markerKey, ...applied, ...heldKeys] : applied));
      stored = deps.replay ? read.slice(1, 1 + applied.length) : read;
      held = read.slice(1 + applied.length);
      if (deps.replay && read[0] === null) {
        await deps.replay.restore();
        held = await infra(deps.redis.mget(heldKeys));
      }
    } catch (error) {
      // Without the kept replies or a whole working copy nothing can be decided; a store that refuses
      // for good would hold the partition for ever, so every request of the batch is answered failed.
      if (!(error instanceof StoreError)) throw error;
      const failed = mine.flatMap((request) => {
        const { state, rest } = outboundOf(request, failure(request, error), 'error', 0);
        return [...state, ...rest];
      });
      await infra(deps.producer.sendMany(mergeBySpec(failed)));
      return;
    }
    // Requests are decided and committed one by one, in partition (charter) order; what they send
    // goes out together once the batch is decided — one produce request instead of one per call.
    // A gateway's retry of a call whose outcome it does not know carries the first attempt's
    // correlation id, and may sit in the same batch as that attempt: what a request of this batch
    // kept counts as applied for the requests after it.
    const outbound: TopicBatch[] = [];
    const keptInBatch = new Map<string, string>();
    for (const [i, request] of mine.entries()) {
      const previous = stored[i] ?? keptInBatch.get(request.correlationId);
      if (previous) {
        logger.info({ operation: request.operation, charterId: request.charterId, correlationId: request.correlationId }, 'request was applied before; sending its records again');
        const entry = JSON.parse(previous) as AppliedRecord;
        let state: TopicBatch[] = [];
        try {
          state = await infra(deps.stateRecords(entry.stateKeys));
        } catch (error) {
          // Applied already: its reply is still true, so it goes out; the state records it wrote
          // cannot be read back, which the log says (with what to look at) rather than holding the partition.
          if (!(error instanceof StoreError)) throw error;
          logger.error({ err: error, operation: request.operation, charterId: request.charterId, correlationId: request.correlationId, stateKeys: entry.stateKeys }, 'the state store refused the state records of a redelivered request; its kept reply is sent without them');
        }
        outbound.push(...state, ...readdressed(fromStored(entry.records), request.replyTo));
      } else if (held[i]) {
        const { state, rest } = outboundOf(request, heldCharterRefusal(request, held[i]!), 'refused', 0);
        outbound.push(...state, ...rest);
      } else {
        const handled = await handle(request, operations[request.operation]!);
        if (handled.kept !== null) keptInBatch.set(request.correlationId, handled.kept);
        outbound.push(...handled.outbound);
      }
    }
    await infra(deps.producer.sendMany(mergeBySpec(outbound)));
  };
}

/**
 * Kept records with their reply addressed to the replica that waits now: a retry may reach another
 * gateway replica than the attempt that was applied.
 */
function readdressed(batches: TopicBatch[], replyTo: string): TopicBatch[] {
  if (replyTo === INTERNAL) return batches;
  return batches.map((b) => (b.spec.name !== topics.protocolReplies.name ? b : {
    spec: b.spec, records: b.records.map((r) => ({ ...r, key: replyTo, value: { ...(r.value as ProtocolReply), replyTo } })),
  } as TopicBatch));
}

/** Batches of the same topic merged, records in their order, topics in order of first appearance. */
function mergeBySpec(batches: readonly TopicBatch[]): TopicBatch[] {
  const merged = new Map<string, TopicBatch>();
  for (const b of batches) {
    if (b.records.length === 0) continue;
    const into = merged.get(b.spec.name);
    if (into) into.records.push(...b.records);
    else merged.set(b.spec.name, { spec: b.spec, records: [...b.records] } as TopicBatch);
  }
  return [...merged.values()];
}
