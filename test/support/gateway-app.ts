/**
 * The gateway's whole HTTP surface (services/gateway/src/app.ts) in-process, for `app.inject()`:
 * the real pipeline, the real Redis stores (nonces, Idempotency-Keys, asset owners) under the test's
 * prefix, one trusted caller and one telemetry token. What stands in: the service behind dispatch
 * (every call is answered `ok` at once) and the telemetry publisher (records are counted) — these
 * tests are about what the gateway does with a caller's input, not about the bus.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ProtocolReply } from '@maestro/contracts';
import { createKeyspace, type Redis } from '@maestro/state';
import { resolveSignalLimits } from '@maestro/telemetry';
import { registerGatewayRoutes } from '../../services/gateway/src/app';
import { createAssetOwnershipStore } from '../../services/gateway/src/asset-ownership-store';
import { compileTrustStore, createSizeLimitHook, DEFAULT_AUTH_CONFIG, DEFAULT_IDEMPOTENCY_CONFIG, rawPublicKeyBase64, signRequest } from '../../services/gateway/src/domain';
import { createIdempotencyStore } from '../../services/gateway/src/idempotency-store';
import { createNonceStore } from '../../services/gateway/src/nonce-store';
import { createProtocolPipeline, type ProtocolAuditEntry } from '../../services/gateway/src/protocol-pipeline';
import { compileTokenStore, newToken } from '../../services/gateway/src/telemetry-tokens';
import { compileValidators } from '../../services/gateway/src/validators';

export interface TestGateway {
  readonly app: FastifyInstance;
  /** Protocol audit entries, in order. */
  readonly audits: ProtocolAuditEntry[];
  /** Messages the gateway logged as errors (a 5xx would be one). */
  readonly errors: string[];
  /** Telemetry records published. */
  published(): number;
  /** A body signed by the trusted caller `agent-1` of tenant `acme`. */
  signed(operation: string, payload: unknown): string;
  /** `Authorization` header value of a token of tenant `acme` covering every asset. */
  readonly bearer: string;
  readonly maxBodyBytes: number;
}

export async function buildTestGateway(redis: Redis, prefix: string, options: { maxBodyBytes?: number } = {}): Promise<TestGateway> {
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const keys = createKeyspace(prefix);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const token = newToken('agent-tok');
  const audits: ProtocolAuditEntry[] = [];
  const errors: string[] = [];
  let published = 0;
  const pipeline = createProtocolPipeline({
    trust: compileTrustStore({ 'agent-1': { publicKey: rawPublicKeyBase64(publicKey), tenant: 'acme', capabilities: ['map.maestro.*'] } }),
    auth: DEFAULT_AUTH_CONFIG,
    parseLimits: { maxBodyBytes, maxDepth: 64 },
    validators: compileValidators(),
    policies: [createSizeLimitHook({ maxPayloadBytes: maxBodyBytes, maxSteps: 1_000, maxDependencies: 10_000 })],
    idempotency: DEFAULT_IDEMPOTENCY_CONFIG,
    retryWindowMs: 600_000,
    callTimeoutMs: 1_000,
    nonces: createNonceStore(redis, keys),
    idempotencyStore: createIdempotencyStore(redis, keys),
    send: async (_key, value, sendOptions) => ({
      correlationId: sendOptions.correlationId ?? randomUUID(), replyTo: 'test', status: 'ok', resultJson: JSON.stringify({ operation: value.operation }),
      refusalCode: null, reasons: [], detailsJson: null, service: 'stand-in', cpuMicros: 1, repliedAtMs: Date.now(),
    } satisfies ProtocolReply),
    audit: async (entry) => {
      audits.push(entry);
      return randomUUID();
    },
    now: Date.now,
    logError: (_fields, message) => errors.push(message),
  });
  const app = Fastify({ bodyLimit: maxBodyBytes });
  await registerGatewayRoutes(app, {
    pipeline,
    telemetry: {
      limits: resolveSignalLimits(),
      maxBatch: 100,
      tokens: compileTokenStore({ 'agent-tok': { tenant: 'acme', sha256: token.sha256, assets: [] } }),
      ownership: createAssetOwnershipStore(redis, keys),
      publish: async (records) => { published += records.length; },
      audit: async () => {},
      isUnavailable: () => false,
      retryAfterS: 1,
      now: Date.now,
    },
    maxBodyBytes,
    maxJsonDepth: 64,
    logError: (_fields, message) => errors.push(message),
  });
  return {
    app, audits, errors, maxBodyBytes,
    published: () => published,
    bearer: `Bearer ${token.token}`,
    signed: (operation, payload) => JSON.stringify(signRequest(privateKey, {
      operation, caller: 'agent-1', tenant: 'acme', capability: `map.maestro.${operation}`, timestampMs: Date.now(), nonce: randomUUID(), payload,
    })),
  };
}
