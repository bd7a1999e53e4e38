/**
 * The protocol adapter shared by the planner and the dispatcher: reads `protocol.requests`, runs the
 * operations this service owns (ignores the others'), and answers on `protocol.replies` keyed by the
 * waiting replica, with one audit record per call and the new state in the same `sendMany`.
 *
 * Failure split: an error thrown by I/O (wrapped in `InfraError` by `infra`) fails the batch, which
 * the consumer retries with backoff and never commits past (Redis or Kafka down must not turn into
 * refusals); any other error is Maestro's own bug in deciding, answered as status `error` with an
 * incident id so the caller is not left waiting and the partition is not blocked forever.
 *
 * The dispatcher imports this module from here; it belongs in a shared library (libs/bus or a
 * libs/protocol) once those are open for change.
 */
import { randomUUID } from 'node:crypto';
import { topics, type ProtocolReply, type ProtocolRequest } from '@maestro/contracts';
import type { BatchHandler, BusProducer, OutboundRecord, TopicBatch } from '@maestro/bus';
import type { AuditEntry } from '@maestro/runtime';
import type { AuditRecord } from '@maestro/contracts';
import type { Logger } from 'pino';

/** An I/O failure: the batch is retried rather than answered. */
export class InfraError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'InfraError';
  }
}

/** Tags a failing I/O promise as infrastructure, so the handler retries instead of answering. */
export async function infra<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
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
  /** State records produced together with the reply (before the Redis write). */
  readonly batches?: readonly TopicBatch[];
  /** The Redis write of the new working copy; runs after the send succeeded. */
  readonly persist?: () => Promise<void>;
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

/** Serialises work per key (a charter) within this process: requests and timers never interleave on one state. */
export function createKeyedLock(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, work) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export interface ProtocolHandlerDeps {
  service: string;
  producer: BusProducer;
  logger: Logger;
  audit(entry: AuditEntry): OutboundRecord<AuditRecord>;
  now(): number;
  operations: Readonly<Record<string, Operation>>;
  lock: <T>(key: string, work: () => Promise<T>) => Promise<T>;
}

/** The batch handler for `protocol.requests`: one request at a time, in partition (charter) order. */
export function createProtocolHandler(deps: ProtocolHandlerDeps): BatchHandler<ProtocolRequest> {
  const { operations, logger } = deps;

  async function handle(request: ProtocolRequest): Promise<void> {
    const operation = operations[request.operation];
    if (!operation) return; // another service's operation
    const cpuStart = process.cpuUsage();
    let decision: Decision;
    try {
      const payload = JSON.parse(request.payloadJson) as unknown;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        decision = refused('invalid_input', ['the payload is not a JSON object']);
      } else if ((payload as { charterId?: unknown }).charterId !== request.charterId) {
        decision = refused('invalid_input', [`the payload names charter '${String((payload as { charterId?: unknown }).charterId)}' but the request is keyed by '${request.charterId}'`]);
      } else {
        decision = await operation(request, payload as Record<string, unknown>);
      }
    } catch (error) {
      if (error instanceof InfraError) throw error;
      const incidentId = randomUUID();
      logger.error({ err: error, incidentId, operation: request.operation, charterId: request.charterId, correlationId: request.correlationId }, 'operation failed');
      decision = { answer: { status: 'refused', code: 'internal', reasons: [`${deps.service} failed on ${request.operation}; incident ${incidentId}`], details: { incidentId } } };
      const cpu = process.cpuUsage(cpuStart);
      await send(request, decision, 'error', cpu.user + cpu.system);
      return;
    }
    const cpu = process.cpuUsage(cpuStart);
    await send(request, decision, decision.answer.status, cpu.user + cpu.system);
    if (decision.persist) await infra(decision.persist());
  }

  async function send(request: ProtocolRequest, decision: Decision, status: ProtocolReply['status'], cpuMicros: number): Promise<void> {
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
    await infra(deps.producer.sendMany([
      ...(status === 'error' ? [] : decision.batches ?? []),
      { spec: topics.protocolReplies, records: [{ key: request.replyTo, value: reply }] },
      { spec: topics.audit, records: [callAudit, ...(status === 'error' ? [] : (decision.audits ?? []).map(deps.audit))] },
    ]));
  }

  return async (records) => {
    for (const { value } of records) await deps.lock(value.charterId, () => handle(value));
  };
}
