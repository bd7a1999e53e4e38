/**
 * The OpenAPI description of POST /v1/telemetry, merged into the gateway's document by ./openapi.ts.
 * The route validates with libs/telemetry's `validateSignal` (the function ingest uses), not with a
 * Fastify schema, so its request body is described here; the refusal codes come from the same
 * catalogs the route answers with.
 */
import { errorCatalog, type ErrorCode } from './domain';
import { TELEMETRY_AUTH_CODES } from './telemetry-auth';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The route's own codes beside the gateway catalog's ones it shares (parse errors, unavailable). */
const ROUTE_CODES: Record<string, { status: number; description: string }> = {
  invalid_signal: { status: 400, description: 'a signal fails validation (each error names its index and field); the batch is refused whole' },
  ...TELEMETRY_AUTH_CODES,
};
const SHARED: readonly ErrorCode[] = ['malformed_json', 'nesting_too_deep', 'schema_violation', 'payload_too_large', 'unsupported_media_type', 'unavailable'];

export const telemetryComponents = {
  HealthSignalInput: {
    type: 'object', required: ['assetId', 'timestampMs', 'metrics'],
    description: 'One health signal as an asset reports it (schemas/avro/health-signal.avsc); metric names and units in docs/telemetry.md.',
    properties: {
      assetId: { type: 'string', description: 'Stable id of the asset; it must be covered by the token and belong to its tenant (or be unowned, and is then claimed)' },
      timestampMs: { type: 'integer', description: 'When the asset measured the values, epoch ms; within INGEST_MAX_AGE_MS in the past and INGEST_MAX_CLOCK_SKEW_MS ahead' },
      metrics: { type: 'object', additionalProperties: { type: 'number' }, description: 'Metric name (with an optional unit suffix such as latency_s) to a finite value, finite also once converted to canonical units' },
      region: { type: ['string', 'null'] },
      provider: { type: ['string', 'null'] },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  TelemetryRefusal: {
    type: 'object', required: ['refused'],
    properties: {
      refused: {
        type: 'object', required: ['stage', 'code', 'reasons'],
        properties: { stage: { type: 'string' }, code: { type: 'string', enum: [...Object.keys(ROUTE_CODES), ...SHARED] }, reasons: { type: 'array', items: { type: 'string' } }, details: { type: 'object' } },
      },
      audit: { type: 'string', description: 'Id of the audit record of a credential or ownership refusal' },
    },
  },
} as const;

function refusalsByStatus(): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  const add = (code: string, status: number) => byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  for (const [code, { status }] of Object.entries(ROUTE_CODES)) add(code, status);
  for (const code of SHARED) add(code, errorCatalog[code].status);
  return Object.fromEntries([...byStatus].map(([status, codes]) => [String(status), { description: `Refused: ${codes.join(', ')}`, content: { 'application/json': { schema: ref('TelemetryRefusal') } } }]));
}

/** The telemetry route's path. */
export function telemetryPaths(): Record<string, Record<string, unknown>> {
  return {
    '/v1/telemetry': {
      post: {
        summary: 'Report health signals: validated exactly as ingest validates them, all or nothing, for the token\'s tenant', tags: ['telemetry'],
        security: [{ apiToken: [] }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { oneOf: [{ type: 'object', required: ['signals'], properties: { signals: { type: 'array', minItems: 1, items: ref('HealthSignalInput') } } }, { type: 'array', minItems: 1, items: ref('HealthSignalInput') }] } } },
        },
        responses: {
          202: { description: 'Accepted: every signal is on telemetry.raw', content: { 'application/json': { schema: { type: 'object', required: ['accepted'], properties: { accepted: { type: 'integer' } } } } } },
          ...refusalsByStatus(),
        },
      },
    },
  };
}
