/**
 * The OpenAPI description of the read API, the live stream and job submission, merged into the
 * gateway's document by ./openapi.ts. Parameters and paths come from the same constants the routes
 * use (LIST_ROUTES, QUERY_PARAMETERS, limits), so the document cannot list a route that is not there.
 */
import { EVENT_KINDS } from '@maestro/projector';
import { errorCatalog, type ErrorCode } from './domain';
import { MAX_JOB_WAIT_MS } from './jobs-route';
import { DEFAULT_LIMIT, MAX_LIMIT } from './read-query';
import { LIST_ROUTES } from './read-routes';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Schemas the read API's paths refer to. */
export const readApiComponents = {
  ReadRefusal: {
    type: 'object', required: ['refused'],
    properties: { refused: { type: 'object', required: ['stage', 'code', 'reasons'], properties: { stage: { type: 'string' }, code: { type: 'string', enum: Object.keys(errorCatalog) }, reasons: { type: 'array', items: { type: 'string' } }, details: { type: 'object' } } } },
  },
  Event: {
    type: 'object', required: ['id', 'kind', 'tenant', 'atMs', 'assetId', 'assetIds', 'jobId', 'severity', 'summary', 'record'],
    description: 'One decision Maestro published, projected by the projector.',
    properties: {
      id: { type: 'string', description: '<topic>:<partition>:<offset> of the source record; stable across rebuilds' },
      kind: { type: 'string', enum: [...EVENT_KINDS] },
      tenant: { type: 'string' },
      atMs: { type: 'integer', description: 'When the decision was made, epoch ms' },
      assetId: { type: ['string', 'null'] },
      assetIds: { type: 'array', items: { type: 'string' }, description: 'Every asset involved (a routing decision\'s candidates), the main one first' },
      jobId: { type: ['string', 'null'] },
      severity: { type: ['number', 'null'], description: 'In [0, 1], anomalies only' },
      summary: { type: 'string' },
      record: { type: 'object', description: 'The Avro record as JSON (schemas/avro); a plan\'s state over 64 KiB and a dead letter\'s bytes are bounded' },
    },
  },
  EventPage: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref('Event') }, nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null at the end. A page may hold fewer than limit items and still have a next one.' } } },
  Job: {
    type: 'object', required: ['jobId', 'status', 'request', 'decision', 'events'],
    properties: { jobId: { type: 'string' }, status: { type: 'string', enum: ['pending', 'routed', 'refused'] }, request: { oneOf: [ref('Event'), { type: 'null' }] }, decision: { oneOf: [ref('Event'), { type: 'null' }] }, events: { type: 'array', items: ref('Event') }, submitted: { type: 'object' }, poll: { type: 'string' } },
  },
  JobSubmission: {
    type: 'object', additionalProperties: false,
    properties: {
      jobId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$', description: 'Optional; a fresh UUID when absent. A job id already known in your tenant is not submitted again.' },
      jobClass: { type: 'string', default: 'default' }, capabilities: { type: 'array', items: { type: 'string' } }, complianceTags: { type: 'array', items: { type: 'string' } },
      allowedRegions: { type: 'array', items: { type: 'string' } }, costCeiling: { type: ['number', 'null'], exclusiveMinimum: 0 }, latencyObjectiveMs: { type: ['number', 'null'], exclusiveMinimum: 0 },
      priority: { type: 'integer', minimum: -1000, maximum: 1000, default: 0 },
    },
  },
} as const;

const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ in: 'query', name, required: false, description, schema });

const pageParameters = (kinds: readonly string[]) => [
  query('limit', `Page size, 1 to ${MAX_LIMIT}`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
  query('cursor', 'nextCursor of the previous page'),
  query('asset', 'Only events involving this asset'),
  query('kind', `Comma-separated kinds among: ${kinds.join(', ')}`),
  query('severity', 'Minimum severity in [0, 1] (anomalies)', { type: 'number', minimum: 0, maximum: 1 }),
  query('from', 'Earliest event time, epoch ms or ISO 8601'),
  query('to', 'Latest event time, epoch ms or ISO 8601'),
  ...(kinds.includes('audit') ? [query('service', 'Only audit records this service wrote (healer, optimizer, gateway, ...)')] : []),
];

/** Every refusal the read routes answer with, by status. */
function refusals(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorCatalog[code].status, [...(byStatus.get(errorCatalog[code].status) ?? []), code]);
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), { description: `Refused: ${list.join(', ')}`, content: { 'application/json': { schema: ref('ReadRefusal') } } }]));
}

const AUTH: ErrorCode[] = ['missing_credential', 'invalid_credential', 'unavailable', 'internal'];
const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
const security = [{ apiToken: [] }];
const tags = ['read API'];

/** The read API's paths. */
export function readApiPaths(): Record<string, Record<string, unknown>> {
  const lists = Object.fromEntries(Object.entries(LIST_ROUTES).map(([path, kinds]) => [path, {
    get: { summary: `List ${kinds.join(' and ')} events, newest first`, tags, security, parameters: pageParameters(kinds), responses: { 200: json(ref('EventPage'), 'A page of events'), ...refusals(['invalid_query', ...AUTH]) } },
  }]));
  return {
    ...lists,
    '/v1/assets': {
      get: {
        summary: 'List assets in id order with their latest lifecycle state', tags, security,
        parameters: [pageParameters([])[0], pageParameters([])[1], query('region', 'Only assets in this region'), query('provider', 'Only assets of this provider'), query('change', 'Only assets whose latest change is this one (added, updated, stale, removed)')],
        responses: { 200: json(ref('EventPage'), 'A page of asset events (the latest per asset)'), ...refusals(['invalid_query', ...AUTH]) },
      },
    },
    '/v1/assets/{id}': {
      get: {
        summary: 'An asset: its latest state, current recommendation, recent metric values and timeline (anomalies, decisions, actions, results, recommendations, routing decisions involving it, audit records about it)', tags, security,
        parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }, ...pageParameters(EVENT_KINDS).filter((p) => p.name !== 'asset')],
        responses: {
          200: json({ type: 'object', required: ['assetId', 'asset', 'recommendation', 'samples', 'timeline'], properties: { assetId: { type: 'string' }, asset: { oneOf: [ref('Event'), { type: 'null' }] }, recommendation: { oneOf: [ref('Event'), { type: 'null' }] }, samples: { type: 'array', items: { type: 'object', properties: { timestampMs: { type: 'integer' }, metrics: { type: 'object', additionalProperties: { type: 'number' } } } } }, timeline: ref('EventPage') } }, 'The asset'),
          ...refusals(['invalid_query', 'unknown_resource', ...AUTH]),
        },
      },
    },
    '/v1/jobs/{id}': {
      get: { summary: 'A job: its request, the router\'s decision (every candidate\'s score and rejection) and every event about it', tags, security, parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }], responses: { 200: json(ref('Job'), 'The job'), ...refusals(['unknown_resource', ...AUTH]) } },
    },
    '/v1/jobs': {
      post: {
        summary: 'Submit a job to the router; answers with its decision, or 202 with where to poll', tags, security,
        parameters: [query('waitMs', `How long to wait for the decision, 0 to ${MAX_JOB_WAIT_MS} ms`, { type: 'integer', minimum: 0, maximum: MAX_JOB_WAIT_MS, default: 3000 })],
        requestBody: { required: true, content: { 'application/json': { schema: ref('JobSubmission') } } },
        responses: { 200: json(ref('Job'), 'Routed or refused by the router'), 202: json(ref('Job'), 'Submitted; poll the Location header'), ...refusals(['schema_violation', 'invalid_query', 'malformed_json', 'unsupported_media_type', ...AUTH]) },
      },
    },
    '/v1/events': {
      get: {
        summary: 'The tenant\'s decisions live, as Server-Sent Events; resumable with Last-Event-ID', tags, security,
        description: 'Each SSE event has the stream id as `id`, the kind as `event` and the Event as JSON `data`. Resume with the Last-Event-ID header (or ?lastEventId=). A `gap` event says events were trimmed since that id; a `shutdown` event precedes the gateway closing the stream. Comments are heartbeats.',
        parameters: [...pageParameters(EVENT_KINDS).filter((p) => p.name !== 'limit' && p.name !== 'cursor'), query('lastEventId', 'Resume after this id, for clients that cannot send Last-Event-ID'), { in: 'header', name: 'last-event-id', required: false, schema: { type: 'string' } }],
        responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...refusals(['invalid_query', ...AUTH]) },
      },
    },
  };
}

/** The security scheme of the read API. */
export const readApiSecuritySchemes = {
  apiToken: { type: 'http', scheme: 'bearer', description: 'An API token made by `npm run maestro -- token add` (the same one POST /v1/telemetry takes); it binds the caller to one tenant.' },
};
