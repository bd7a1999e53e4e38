/**
 * No caller input is answered 5xx, and none hangs the gateway (issue 14, item 6). A few thousand
 * bodies: payloads generated from the published JSON Schemas (schemas/maestro/v1), signed by a
 * trusted caller or not, then mutated — a subtree replaced by a value of the wrong type, wrapped
 * hundreds or thousands of levels deep, padded past the size limit, the text cut or spliced — sent
 * with good, missing and wrong content types and Idempotency-Keys; telemetry batches likewise.
 * Through the whole HTTP surface with `app.inject()` and the real Redis stores.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defsSchema, envelopeSchema, errorCatalog, operationNames, payloadSchemas } from '../../services/gateway/src/domain';
import { buildTestGateway, type TestGateway } from '../support/gateway-app';
import { arbitraryOf, type SchemaSet } from '../support/json-schema-arbitrary';
import { useRedis } from '../support/redis-keys';

const db = useRedis('fuzz');
const MAX_BODY_BYTES = 65_536;
/** A body that takes longer than this to answer counts as a hang. */
const HANG_MS = 5_000;
let gw: TestGateway;

const schemas: SchemaSet = {
  documents: Object.fromEntries([defsSchema, envelopeSchema, ...Object.values(payloadSchemas)].map((s) => [s.$id.split('/').at(-1)!, s])),
};

/** Values that are wrong almost anywhere: other types, extremes, odd strings. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, -0, 2 ** 53 + 1, '', '\u0000', '\ud800', '𝄞'.repeat(50), [], {}, { __proto__: null }, { constructor: 1 }, ['x']),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 300 }),
);

/** Walks `path` (indices taken modulo each container's size) and replaces what it reaches. */
function replaceAt(value: unknown, path: readonly number[], replace: (v: unknown) => unknown): unknown {
  if (path.length === 0 || typeof value !== 'object' || value === null) return replace(value);
  const [step, ...rest] = path as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replace(value);
    const copy = [...value];
    copy[step % copy.length] = replaceAt(copy[step % copy.length], rest, replace);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replace(value);
  const key = keys[step % keys.length]!;
  return { ...value, [key]: replaceAt((value as Record<string, unknown>)[key], rest, replace) };
}

const deepen = (depth: number, asObject: boolean) => (v: unknown): unknown => {
  let out = v;
  for (let i = 0; i < depth; i++) out = asObject ? { d: out } : [out];
  return out;
};

/** What a payload goes through before it is signed (or not). */
const valueMutation = fc.oneof(
  { weight: 3, arbitrary: fc.constant((v: unknown) => v) },
  { weight: 3, arbitrary: fc.tuple(fc.array(fc.nat(), { maxLength: 5 }), wrongValue).map(([path, w]) => (v: unknown) => replaceAt(v, path, () => w)) },
  { weight: 2, arbitrary: fc.tuple(fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 1, max: 400 }), fc.boolean()).map(([path, depth, obj]) => (v: unknown) => replaceAt(v, path, deepen(depth, obj))) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: MAX_BODY_BYTES * 2 }).map((n) => (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v, pad: 'x'.repeat(n) } : v)) },
);

/** What the body's text goes through after signing. */
const textMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((t: string) => t) },
  { weight: 1, arbitrary: fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.string({ maxLength: 8 })).map(([n, s]) => (t: string) => { const i = n % (t.length + 1); return t.slice(0, i) + s + t.slice(i); }) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 20_000 }).map((d) => (t: string) => `${'['.repeat(d)}${t}${']'.repeat(d)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 20_000 }).map((d) => (t: string) => t.replace('"payload":', `"payload":${'{"a":'.repeat(d)}0${'}'.repeat(d)},"x":`)) },
);

const contentType = fc.constantFrom<Record<string, string>>(
  { 'content-type': 'application/json' }, { 'content-type': 'application/json' }, { 'content-type': 'application/json; charset=utf-8' }, {}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' },
);
const idempotencyKey = fc.option(fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), fc.string({ maxLength: 200 })), { nil: undefined });

const protocolCall = fc.constantFrom(...operationNames, 'no.such.operation').chain((operation) => fc.record({
  kind: fc.constant('protocol' as const),
  operation: fc.constant(operation),
  payload: operation in payloadSchemas ? arbitraryOf(payloadSchemas[operation as keyof typeof payloadSchemas], `${operation}.json`, schemas) : fc.jsonValue({ maxDepth: 3 }),
  mutate: valueMutation,
  sign: fc.boolean(),
  text: textMutation,
  headers: contentType,
  key: idempotencyKey,
}));

const signal = fc.record({
  assetId: fc.oneof(fc.stringMatching(/^svc-[a-z]{1,8}$/), fc.string({ maxLength: 20 })),
  timestampMs: fc.oneof(fc.constant(Date.now()), fc.integer(), fc.double()),
  metrics: fc.dictionary(fc.constantFrom('latency_ms', 'latency_s', 'error_rate', 'saturation', 'x'), fc.oneof(fc.double(), fc.integer(), wrongValue), { maxKeys: 4 }),
  region: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
  labels: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), wrongValue), { maxKeys: 3 }), { nil: undefined }),
}, { requiredKeys: ['assetId', 'timestampMs', 'metrics'] });

const telemetryCall = fc.record({
  kind: fc.constant('telemetry' as const),
  body: fc.oneof(fc.record({ signals: fc.array(signal, { maxLength: 5 }) }), fc.array(signal, { maxLength: 5 }), wrongValue),
  mutate: valueMutation,
  text: textMutation,
  headers: contentType,
  auth: fc.boolean(),
});

beforeAll(async () => {
  gw = await buildTestGateway(db.redis, db.prefix, { maxBodyBytes: MAX_BODY_BYTES });
});

afterAll(async () => {
  await gw?.app.close();
});

describe('the gateway under fuzzed input', () => {
  it('answers every body below 500, in the refusal shape when it refuses, and never hangs', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: protocolCall }, { weight: 1, arbitrary: telemetryCall }), async (call) => {
      let url: string;
      let text: string;
      const headers: Record<string, string> = { ...call.headers };
      if (call.kind === 'protocol') {
        url = `/v1/protocol/maestro.${call.operation}`;
        const payload = call.mutate(call.payload);
        let body: string;
        try {
          body = call.sign ? gw.signed(call.operation, payload) : JSON.stringify({ envelope: { caller: 'agent-1', tenant: 'acme' }, payload });
        } catch {
          body = JSON.stringify({ payload }); // too deep for the signer's canonical JSON: send it unsigned
        }
        text = call.text(body);
        if (call.key !== undefined) headers['idempotency-key'] = call.key;
      } else {
        url = '/v1/telemetry';
        text = call.text(JSON.stringify(call.mutate(call.body)) ?? 'null');
        if (call.auth) headers.authorization = gw.bearer;
      }
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        gw.app.inject({ method: 'POST', url, payload: text, headers }),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms to ${url}`)), HANG_MS); }),
      ]).finally(() => clearTimeout(timer));
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      expect(r.statusCode, `${url} ${text.slice(0, 300)} → ${r.body.slice(0, 300)}`).toBeLessThan(500);
      const answer = JSON.parse(r.body) as { refused?: { stage: string; code: string; reasons: string[] } };
      if (r.statusCode >= 400) {
        expect(answer.refused, r.body).toMatchObject({ stage: expect.any(String), code: expect.any(String), reasons: expect.any(Array) });
        if (call.kind === 'protocol') expect(Object.keys(errorCatalog), r.body).toContain(answer.refused!.code);
      }
    }), { numRuns: 3_000 });
    expect(gw.errors).toEqual([]);
    // The run reached every layer: refusals at parse and validate, and signed calls that went all the way.
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(50);
    const codes = new Set(gw.audits.map((a) => a.details.code));
    for (const code of ['malformed_json', 'nesting_too_deep', 'payload_too_large', 'schema_violation', 'unknown_operation']) expect([...codes]).toContain(code);
  }, 120_000);
});
