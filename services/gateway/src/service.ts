import { topics } from '@maestro/contracts';
import { createCoalescingProducer, createRequester } from '@maestro/bus';
import { assertNotStalled, integer, defineService } from '@maestro/runtime';
import { resolveSignalLimits } from '@maestro/telemetry';
import { pluginConfigSpec, startPlugins } from '@maestro/plugin-sdk/host';
import { registerGatewayRoutes } from './app';
import { createAssetOwnershipStore } from './asset-ownership-store';
import { registerConsoleRoute } from './console-route';
import { createSizeLimitHook, DEFAULT_MAX_JSON_DEPTH, DEFAULT_PARSE_LIMITS } from './domain';
import { createIdempotencyStore } from './idempotency-store';
import { createNonceStore } from './nonce-store';
import { isKafkaUnavailable } from './dispatch';
import { createProtocolPipeline, RETRY_AFTER_S } from './protocol-pipeline';
import { registerReadApi } from './read-api';
import { telemetryTokensFile } from './telemetry-tokens-config';
import { trustStoreFile } from './trust-store-config';
import { compileValidators } from './validators';

export const definition = defineService({
  name: 'gateway',
  defaultPort: 8080,
  config: {
    telemetryMaxBatch: integer('GATEWAY_TELEMETRY_MAX_BATCH', 'Most signals accepted by one POST /v1/telemetry', { default: 1_000, min: 1 }),
    telemetryTokens: telemetryTokensFile('GATEWAY_TELEMETRY_TOKENS', 'Path of a JSON file {tokenId: {tenant, sha256, assets}} of the API tokens POST /v1/telemetry accepts (npm run maestro -- token add); unset: none is'),
    trustStore: trustStoreFile('GATEWAY_TRUST_STORE', 'Path of a JSON file {callerId: {publicKey, tenant, capabilities}} of the callers allowed to make MAESTRO calls; unset: none is'),
    callTimeoutMs: integer('GATEWAY_CALL_TIMEOUT_MS', 'How long a protocol call waits for its service\'s reply before 504 deadline_exceeded', { default: 10_000, min: 100 }),
    timestampWindowMs: integer('GATEWAY_TIMESTAMP_WINDOW_MS', 'How far a signed envelope\'s timestamp may be from the gateway\'s clock, either way', { default: 300_000, min: 1_000 }),
    idempotencyTtlMs: integer('GATEWAY_IDEMPOTENCY_TTL_MS', 'How long an Idempotency-Key and its response are kept', { default: 86_400_000, min: 1_000 }),
    retryWindowMs: integer('GATEWAY_RETRY_WINDOW_MS', 'How long after a call\'s first attempt a retry with its Idempotency-Key, after 503 or 504, is sent again with the same correlation id; must stay below PLANNER_APPLIED_TTL_MS and DISPATCHER_APPLIED_TTL_MS less GATEWAY_CALL_TIMEOUT_MS', { default: 600_000, min: 1_000 }),
    maxBodyBytes: integer('GATEWAY_MAX_BODY_BYTES', 'Largest protocol request body; larger ones get 413', { default: DEFAULT_PARSE_LIMITS.maxBodyBytes, min: 1_024 }),
    maxJsonDepth: integer('GATEWAY_MAX_JSON_DEPTH', 'Deepest nesting of arrays and objects in any request body; deeper ones get 400 nesting_too_deep', { default: DEFAULT_MAX_JSON_DEPTH, min: 8, max: 256 }),
    maxSteps: integer('GATEWAY_MAX_STEPS', 'Most steps in one goal (policy size-limit)', { default: 1_000, min: 1 }),
    ...pluginConfigSpec,
  },
  topics: [topics.telemetryRaw, topics.protocolRequests, topics.protocolReplies, topics.jobRequests],
  async setup(ctx) {
    const { config } = ctx;
    const plugins = await startPlugins(ctx);
    // Requests and audit records share group-committed sends, each bounded well inside the call's
    // deadline so that an unreachable broker is a 503 before the reply timer runs out.
    const producer = createCoalescingProducer(ctx.producer, { sendTimeoutMs: Math.max(50, Math.floor(config.callTimeoutMs * 0.8)) });
    // Protocol calls wait on replies addressed to this replica.
    const requester = createRequester({
      kafka: ctx.kafka, codecs: ctx.codecs, producer, requestSpec: topics.protocolRequests, replySpec: topics.protocolReplies,
      replicaId: config.replicaId, groupPrefix: `${config.topicPrefix}gateway`, logger: ctx.logger, metrics: ctx.busMetrics,
      stallAfterMs: config.consumerStallAfterMs,
    });
    ctx.readiness.add('reply group', () => {
      if (!requester.joined()) throw new Error('not a member of its reply group');
      assertNotStalled(requester);
    });
    ctx.lifecycle.onStop('requester', () => requester.stop());

    const pipeline = createProtocolPipeline({
      trust: config.trustStore,
      auth: { timestampWindowMs: config.timestampWindowMs },
      parseLimits: { maxBodyBytes: config.maxBodyBytes, maxDepth: config.maxJsonDepth },
      validators: compileValidators(),
      // Plugin hooks after the built-in one: a refusal lists every hook the call breaks, each by name.
      policies: [createSizeLimitHook({ maxPayloadBytes: config.maxBodyBytes, maxSteps: config.maxSteps, maxDependencies: 10 * config.maxSteps }), ...plugins.gatewayPolicyHooks()],
      idempotency: { ttlMs: config.idempotencyTtlMs },
      retryWindowMs: config.retryWindowMs,
      callTimeoutMs: config.callTimeoutMs,
      nonces: createNonceStore(ctx.redis, ctx.keys),
      idempotencyStore: createIdempotencyStore(ctx.redis, ctx.keys),
      send: (key, value, options) => requester.request(key, value, options),
      async audit(entry) {
        const record = ctx.audit({ kind: 'protocol.call', ...entry });
        try {
          await producer.send(topics.audit, [record]);
        } catch (error) {
          // The caller still gets its answer: refusing it because the audit log is down would turn its mistake into ours.
          ctx.logger.error({ err: error, auditId: record.value.auditId, entry }, 'could not write the audit record of a protocol call');
        }
        return record.value.auditId;
      },
      now: ctx.now,
      logError: (fields, message) => ctx.logger.error(fields, message),
    });
    await registerGatewayRoutes(ctx.http, {
      pipeline,
      telemetry: {
        limits: resolveSignalLimits(),
        maxBatch: config.telemetryMaxBatch,
        tokens: config.telemetryTokens,
        ownership: createAssetOwnershipStore(ctx.redis, ctx.keys),
        publish: (records) => producer.send(topics.telemetryRaw, records),
        async audit(entries) {
          try {
            await producer.send(topics.audit, entries.map((entry) => ctx.audit(entry)));
          } catch (error) {
            ctx.logger.error({ err: error, entries }, 'could not write the audit records of a telemetry call');
          }
        },
        isUnavailable: isKafkaUnavailable,
        retryAfterS: RETRY_AFTER_S,
        now: ctx.now,
      },
      maxBodyBytes: config.maxBodyBytes,
      maxJsonDepth: config.maxJsonDepth,
      logError: (fields, message) => ctx.logger.error(fields, message),
    });
    // Reads of the projector's model, the live stream and job submission (docs/read-api.md).
    const live = registerReadApi(ctx.http, {
      redis: ctx.redis, keys: ctx.keys, tokens: config.telemetryTokens, isUnavailable: isKafkaUnavailable, retryAfterS: RETRY_AFTER_S, now: ctx.now,
      // The request and the audit record of its submission go out in one send.
      submitJob: (job) => producer.sendMany([
        { spec: topics.jobRequests, records: [{ key: job.jobId, value: job }] },
        { spec: topics.audit, records: [ctx.audit({ kind: 'job.submitted', outcome: 'submitted', subjectId: job.jobId, reasons: [`POST /v1/jobs for tenant ${job.tenant ?? 'default'}`], details: { tenant: job.tenant, jobClass: job.jobClass } })] },
      ]),
      logError: (fields, message) => ctx.logger.error(fields, message),
    });
    ctx.lifecycle.onStop('live streams', () => live.closeAll());
    registerConsoleRoute(ctx.http, (fields, message) => ctx.logger.error(fields, message));
    // caller add and token add edit these files while the gateway runs; each reload is said once.
    for (const { file } of [config.trustStore, config.telemetryTokens]) {
      file.onReload((event) => (event.ok
        ? ctx.logger.info({ path: event.path, entries: event.entries }, 'credentials file reloaded')
        : ctx.logger.warn({ path: event.path, error: event.error }, 'credentials file changed but does not load; the previous version stays in force')));
    }
    ctx.logger.info({ callers: config.trustStore.size, telemetryTokens: config.telemetryTokens.size }, 'protocol and telemetry routes ready');
    return requester.start();
  },
});
