/**
 * Which service serves each operation that travels on `protocol.requests`. The planner and the
 * dispatcher each read every request and act on their own operations only, so a request whose
 * operation neither serves (written straight to Kafka, or sent by a newer gateway during a rolling
 * upgrade) used to get no reply and no audit record: its caller waited out the deadline and was
 * told to retry. One service, {@link UNOWNED_OPERATIONS_ANSWERED_BY}, answers those with
 * `unknown_operation`; this catalog is how it knows an operation has no owner. A test checks it
 * against the services' own operation tables.
 */
export const OPERATION_OWNERS = Object.freeze({
  'charter.declare': 'planner',
  'goal.refine': 'planner',
  plan: 'planner',
  'graph.commit': 'planner',
  'graph.diff': 'planner',
  'graph.replan': 'planner',
  replan: 'planner',
  'query.goals': 'planner',
  'dispatch.next': 'dispatcher',
  allocate: 'dispatcher',
  'outcome.report': 'dispatcher',
  'credit.trace': 'dispatcher',
  // The dispatcher's own lease expiry, sent to itself (./protocol-handler.ts INTERNAL).
  'dispatch.expire': 'dispatcher',
} as const);

/** The service that refuses, with a reply and an audit record, a request for an operation nobody serves. */
export const UNOWNED_OPERATIONS_ANSWERED_BY = 'planner';

/** True when some service serves `operation`. */
export function isOwnedOperation(operation: string): boolean {
  return Object.hasOwn(OPERATION_OWNERS, operation);
}
