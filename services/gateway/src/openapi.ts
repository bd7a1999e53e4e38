/**
 * The OpenAPI 3.1 document of the protocol routes, generated from the schemas the routes are
 * registered with (collected through Fastify's onRoute hook), with the published JSON Schemas of
 * schemas/maestro/v1 as components. OpenAPI 3.1 speaks JSON Schema, so the draft-07 schemas go in
 * as they are; only each `$ref` is rewritten from the files' `$id`s to `#/components/schemas/…`.
 */
import type { RouteOptions } from 'fastify';
import { envelopeSchema, errorCatalog, maestroSchemas, operationNames, type ErrorCode, type JsonSchema, type OperationSpec } from './domain';
import { readApiComponents, readApiPaths, readApiSecuritySchemes } from './read-api-openapi';
import { telemetryComponents, telemetryPaths } from './telemetry-openapi';

const refusalSchema = {
  type: 'object',
  required: ['refused'],
  properties: {
    refused: {
      type: 'object',
      required: ['stage', 'code', 'reasons'],
      properties: {
        stage: { type: 'string' },
        code: { type: 'string', enum: Object.keys(errorCatalog) },
        reasons: { type: 'array', items: { type: 'string' } },
        details: { type: 'object' },
      },
    },
    audit: { type: 'string', description: 'Id of the audit record of this call.' },
  },
} as const;

/** The statuses an operation can answer with, each with the catalog codes behind it. */
function refusalResponses(): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, spec] of Object.entries(errorCatalog) as [ErrorCode, (typeof errorCatalog)[ErrorCode]][]) {
    byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, { description: `Refused: ${codes.join(', ')}`, ...refusalSchema }]));
}

/** The schema a protocol route is registered with: documentation only (the validate stage validates). */
export function protocolRouteSchema(operation: OperationSpec): Record<string, unknown> {
  return {
    summary: operation.summary,
    description: `${operation.kind === 'method' ? 'Service method' : 'Operation'} handled by the ${operation.service}. Capability ${operation.capability}${operation.grantedBy.length ? `, or ${operation.grantedBy.map((g) => g.join(' + ')).join(', or ')}` : ''}.${operation.readOnly ? ' Read-only: Idempotency-Key is ignored.' : ''}`,
    operationId: operation.name,
    tags: [operation.kind === 'method' ? 'service methods' : 'operations'],
    headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', pattern: '^[A-Za-z0-9_-]{8,128}$' } } },
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['envelope', 'payload'],
      properties: { envelope: { $ref: `${envelopeSchema.$id}#/definitions/envelope` }, payload: { $ref: operation.schema.$id } },
    },
    response: {
      200: { description: 'The service\'s result', type: 'object', required: ['result', 'audit'], properties: { result: {}, audit: { type: 'string' } } },
      ...refusalResponses(),
    },
  };
}

/** The schema of the catch-all route: the short alias of each operation, and 404 for the rest. */
export function unknownOperationRouteSchema(): Record<string, unknown> {
  return {
    summary: 'Any other operation name',
    description: `/v1/protocol/<operation> is an alias of /v1/protocol/maestro.<operation>; any other name is refused with 404 unknown_operation listing the operations: ${operationNames.join(', ')}.`,
    tags: ['operations'],
    params: { type: 'object', properties: { operation: { type: 'string' } } },
    response: { 404: { description: 'unknown_operation', ...refusalSchema } },
  };
}

const componentName = (id: string): string => (new URL(id).pathname.split('/').pop() ?? id).replace(/\.json$/, '');

/** Rewrites every `$ref` (relative to `baseId`) to a components pointer, and drops `$id`/`$schema`. */
function rewriteRefs(node: unknown, baseId: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, baseId));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$id' || key === '$schema') continue;
    if (key === '$ref' && typeof value === 'string') {
      const target = new URL(value, baseId);
      out.$ref = `#/components/schemas/${componentName(`${target.origin}${target.pathname}`)}${decodeURIComponent(target.hash.slice(1))}`;
    } else {
      out[key] = rewriteRefs(value, baseId);
    }
  }
  return out;
}

/** Builds the document from the routes registered so far. */
export function buildOpenApi(routes: readonly Pick<RouteOptions, 'method' | 'url' | 'schema'>[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) continue;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toLowerCase());
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const { body, headers, params, response, summary, description, operationId, tags } = schema as Record<string, unknown>;
    const parameters = [
      ...Object.entries((headers as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}).map(([name, s]) => ({ in: 'header', name, required: false, schema: s })),
      ...Object.entries((params as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}).map(([name, s]) => ({ in: 'path', name, required: true, schema: s })),
    ];
    const responses = Object.fromEntries(Object.entries((response ?? {}) as Record<string, Record<string, unknown>>).map(([status, r]) => {
      const { description: text, ...rest } = r;
      return [status, { description: text ?? status, content: { 'application/json': { schema: rewriteRefs(rest, envelopeSchema.$id) } } }];
    }));
    for (const method of methods) {
      paths[path] = {
        ...paths[path],
        [method]: {
          summary, description, tags, ...(operationId ? { operationId } : {}),
          ...(parameters.length ? { parameters } : {}),
          ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: rewriteRefs(body, envelopeSchema.$id) } } } } : {}),
          responses,
        },
      };
    }
  }
  const schemas = Object.fromEntries(maestroSchemas.map((s: JsonSchema) => [componentName(s.$id), rewriteRefs(s, s.$id)]));
  return {
    openapi: '3.1.0',
    info: { title: 'MAESTRO protocol gateway', version: info.version, description: 'Signed MAESTRO calls through eight stages: parse, validate, authenticate, authorise, policy, idempotency, dispatch, audit. See docs/protocol.md.' },
    paths: { ...paths, ...telemetryPaths(), ...readApiPaths() },
    components: { schemas: { ...schemas, ...readApiComponents, ...telemetryComponents }, securitySchemes: readApiSecuritySchemes },
  };
}
