/**
 * POST /v1/telemetry against the real stack: a valid batch is published on telemetry.raw and
 * ingest admits it as samples; a batch with a bad signal is refused whole with every error by
 * index, using the very codes ingest gives the same signal when it arrives on the topic directly
 * (dead-lettered with its reason). Gateway and ingest run as their own processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { createTestBus, type TestBus } from '../support/test-bus';
import { eventually, uniquePrefix } from '../support/environment';
import { spawnService, type SpawnedService } from '../support/services';
import { post as postWith } from '../support/signed-client';
import { writeTelemetryTokens } from '../support/telemetry-tokens';
import { decodeDeadLetter } from '../support/dead-letters';

const prefix = uniquePrefix('gw-telemetry');
let bus: TestBus;
let gateway: SpawnedService;
let ingest: SpawnedService;
const tokens = writeTelemetryTokens({ reporter: { tenant: 'gw-tenant' } });
const post = (url: string, path: string, body: string) => postWith(url, path, body, tokens.headers.reporter);

const signal = (assetId: string, latencyMs: number) => ({ assetId, timestampMs: Date.now(), metrics: { latency_ms: latencyMs }, region: 'eu-west-1', provider: 'aws' });

beforeAll(async () => {
  bus = await createTestBus(prefix, [topics.telemetryRaw, topics.telemetrySamples]);
  const env = { MAESTRO_TOPIC_PREFIX: prefix, MAESTRO_REDIS_PREFIX: prefix, GATEWAY_TELEMETRY_MAX_BATCH: '5', GATEWAY_TELEMETRY_TOKENS: tokens.path };
  [gateway, ingest] = await Promise.all([spawnService('gateway', env), spawnService('ingest', env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), ingest?.stop()]);
  await bus?.close();
});

describe('POST /v1/telemetry', () => {
  it('publishes a valid batch, which ingest admits as samples', async () => {
    const accepted = await post(gateway.url, '/v1/telemetry', JSON.stringify({ signals: [signal('gw-a', 10), signal('gw-b', 11), signal('gw-c', 12)] }));
    expect(accepted).toMatchObject({ status: 202, body: { accepted: 3 } });
    const samples = await eventually(async () => {
      const all = await bus.readValues(topics.telemetrySamples);
      return all.length >= 3 && all;
    }, 30_000, 'three admitted samples');
    expect(samples.map((s) => s.assetId).sort()).toEqual(['gw-a', 'gw-b', 'gw-c']);
    expect(samples.map((s) => s.tenant)).toEqual(['gw-tenant', 'gw-tenant', 'gw-tenant']);
  });

  it('refuses a batch with a bad signal whole, with the codes ingest gives the same signal on the topic', async () => {
    const bad = signal('gw-bad', -5);
    const refused = await post(gateway.url, '/v1/telemetry', JSON.stringify([signal('gw-ok', 10), bad]));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ refused: { stage: 'validate', code: 'invalid_signal' } });
    const errors = (refused.body.refused as unknown as { details: { errors: { index: number; field: string; code: string }[] } }).details.errors;
    expect(errors).toEqual([expect.objectContaining({ index: 1, code: 'metric_negative' })]);
    expect((refused.body.refused as { reasons: string[] }).reasons[0]).toMatch(/^signals\[1\]\./);

    // The same signal straight onto the topic: ingest dead-letters it with the same code.
    await bus.producer.send(topics.telemetryRaw, [{ key: bad.assetId, value: { ...bad, labels: {}, tenant: null, receivedAtMs: null } }]);
    const letter = await eventually(async () => {
      const raw = await bus.readAll(`${bus.codecs.topicName(topics.telemetryRaw)}.dlq`);
      return raw[0];
    }, 30_000, 'the dead letter');
    const decoded = decodeDeadLetter(letter.value);
    expect(decoded.errorCode).toBe(errors[0]!.code);
    // Nothing of the refused batch was published, its valid half included (the gateway publishes before it answers).
    const published = await bus.readValues(topics.telemetryRaw);
    expect(published.map((s) => s.assetId)).not.toContain('gw-ok');
  });

  // F6: finite as sent, infinite in milliseconds; the gateway answered 202 and ingest dead-lettered it.
  it('refuses latency_s 1e306 with 400 metric_not_finite', async () => {
    const refused = await post(gateway.url, '/v1/telemetry', JSON.stringify([{ assetId: 'gw-f6', timestampMs: Date.now(), metrics: { latency_s: 1e306 } }]));
    expect(refused).toMatchObject({ status: 400, body: { refused: { code: 'invalid_signal', details: { errors: [{ index: 0, field: 'metrics.latency_s', code: 'metric_not_finite' }] } } } });
  });

  it('refuses a call without a credential with 401', async () => {
    const refused = await postWith(gateway.url, '/v1/telemetry', JSON.stringify([signal('gw-anon', 1)]));
    expect(refused).toMatchObject({ status: 401, body: { refused: { code: 'missing_credential' } } });
  });

  it('refuses a body that is not a batch, and a batch over the limit', async () => {
    const notBatch = await post(gateway.url, '/v1/telemetry', JSON.stringify({ signal: signal('gw-x', 1) }));
    expect(notBatch).toMatchObject({ status: 400, body: { refused: { code: 'schema_violation' } } });
    const tooMany = await post(gateway.url, '/v1/telemetry', JSON.stringify({ signals: Array.from({ length: 6 }, (_, i) => signal(`gw-${i}`, 1)) }));
    expect(tooMany).toMatchObject({ status: 413, body: { refused: { code: 'payload_too_large' } } });
  });
});
