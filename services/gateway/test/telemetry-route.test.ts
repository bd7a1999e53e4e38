/**
 * POST /v1/telemetry's credential, scope and ownership checks through `app.inject()`: no token
 * 401, a wrong token 401, an asset outside the token's patterns 403, another tenant's asset 403
 * (audited with its owner, not told to the caller), a first report claims the asset; accepted
 * signals carry the token's tenant. The Redis claim script and the whole loop run in
 * test/telemetry-loop/telemetry-auth.test.ts.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthSignal } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';
import { resolveSignalLimits } from '@maestro/telemetry';
import { registerTelemetryRoute } from '../src/telemetry-route';
import { compileGlob, compileTokenStore, hashSecret, newToken } from '../src/telemetry-tokens';
import { memoryOwnership } from './memory-ownership';

const scoped = newToken('acme-eu');
const tokens = compileTokenStore({
  'acme-all': { tenant: 'acme', sha256: hashSecret('s1'), assets: [] },
  'acme-eu': { tenant: 'acme', sha256: scoped.sha256, assets: ['eu-*', 'db/??'] },
  globex: { tenant: 'globex', sha256: hashSecret('s2'), assets: [] },
});

let app: FastifyInstance;
let published: HealthSignal[];
let audits: AuditEntry[];
let ownership: ReturnType<typeof memoryOwnership>;

beforeEach(async () => {
  published = [];
  audits = [];
  ownership = memoryOwnership({ 'acme-svc': 'acme' });
  app = Fastify();
  registerTelemetryRoute(app, {
    limits: resolveSignalLimits(), maxBatch: 10, tokens, ownership,
    publish: async (records) => { published.push(...records.map((r) => r.value)); },
    audit: async (entries) => { audits.push(...entries); },
    isUnavailable: () => false, retryAfterS: 1, now: Date.now,
  });
});

afterEach(() => app.close());

const signal = (assetId: string, metrics: Record<string, number> = { latency_ms: 10 }) => ({ assetId, timestampMs: Date.now(), metrics });
const post = (signals: unknown[], authorization?: string) =>
  app.inject({ method: 'POST', url: '/v1/telemetry', payload: { signals }, headers: authorization === undefined ? {} : { authorization } });

describe('POST /v1/telemetry credentials', () => {
  it.each([
    { what: 'no Authorization header', header: undefined, code: 'missing_credential' },
    { what: 'a scheme other than Bearer', header: 'Basic czE6czE=', code: 'invalid_credential' },
    { what: 'an unknown token id', header: 'Bearer nobody.s1', code: 'invalid_credential' },
    { what: 'a wrong secret', header: 'Bearer acme-all.s2', code: 'invalid_credential' },
    { what: 'a token without a secret', header: 'Bearer acme-all', code: 'invalid_credential' },
  ])('refuses $what with 401 $code, audited, publishing nothing', async ({ header, code }) => {
    const r = await post([signal('acme-svc')], header);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ refused: { stage: 'authenticate', code } });
    expect(published).toEqual([]);
    expect(audits).toEqual([expect.objectContaining({ kind: 'telemetry.refused', outcome: code })]);
  });

  it('accepts a valid token and stamps every signal with its tenant', async () => {
    const r = await post([signal('acme-svc'), signal('new-svc')], 'Bearer acme-all.s1');
    expect(r.statusCode).toBe(202);
    expect(published.map((s) => [s.assetId, s.tenant])).toEqual([['acme-svc', 'acme'], ['new-svc', 'acme']]);
  });

  it('ignores a tenant the body names: the credential decides', async () => {
    await post([{ ...signal('acme-svc'), tenant: 'globex' }], 'Bearer acme-all.s1');
    expect(published.map((s) => s.tenant)).toEqual(['acme']);
  });
});

describe('POST /v1/telemetry ownership', () => {
  it('claims an unowned asset for the first authenticated reporter, audited', async () => {
    expect((await post([signal('fresh')], 'Bearer globex.s2')).statusCode).toBe(202);
    expect(ownership.owners.get('fresh')).toBe('globex');
    expect(audits).toEqual([expect.objectContaining({ kind: 'telemetry.claim', outcome: 'claimed', subjectId: 'fresh' })]);
  });

  it('refuses a batch naming another tenant\'s asset with 403, whole, audited with the owner it does not reveal', async () => {
    const r = await post([signal('other-new'), signal('acme-svc', { latency_ms: 9_000 })], 'Bearer globex.s2');
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ refused: { stage: 'authorise', code: 'asset_owned_by_another_tenant', reasons: ['asset acme-svc belongs to another tenant'] } });
    expect(JSON.stringify(r.json())).not.toContain('acme"');
    expect(published).toEqual([]);
    // Nothing of the refused batch was claimed either.
    expect(ownership.owners.has('other-new')).toBe(false);
    expect(audits).toEqual([expect.objectContaining({
      kind: 'telemetry.refused', outcome: 'asset_owned_by_another_tenant', subjectId: 'globex',
      details: { tenant: 'globex', tokenId: 'globex', owners: { 'acme-svc': 'acme' } },
    })]);
  });
});

describe('POST /v1/telemetry token scope', () => {
  it('accepts assets matching the token\'s patterns', async () => {
    expect((await post([signal('eu-api'), signal('db/01')], `Bearer ${scoped.token}`)).statusCode).toBe(202);
  });

  it('refuses an asset outside them with 403 asset_out_of_scope, audited', async () => {
    const r = await post([signal('eu-api'), signal('us-api'), signal('db/001')], `Bearer ${scoped.token}`);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ refused: { code: 'asset_out_of_scope', reasons: [expect.stringContaining('us-api'), expect.stringContaining('db/001')] } });
    expect(published).toEqual([]);
    expect(audits).toEqual([expect.objectContaining({ outcome: 'asset_out_of_scope', details: expect.objectContaining({ assets: ['us-api', 'db/001'] }) })]);
  });
});

describe('POST /v1/telemetry validation (F6)', () => {
  it('refuses latency_s 1e306 with 400: finite as sent, infinite in milliseconds', async () => {
    const r = await post([signal('acme-svc', { latency_s: 1e306 })], 'Bearer acme-all.s1');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ refused: { code: 'invalid_signal', details: { errors: [expect.objectContaining({ code: 'metric_not_finite', field: 'metrics.latency_s' })] } } });
    expect(published).toEqual([]);
  });
});

describe('compileGlob', () => {
  it.each([
    ['eu-*', 'eu-', true], ['eu-*', 'eu-a/b', true], ['eu-*', 'xeu-a', false],
    ['db/??', 'db/01', true], ['db/??', 'db/1', false], ['a.b', 'axb', false], ['a.b', 'a.b', true], ['*', 'anything', true],
  ])('%s on %s → %s', (pattern, id, expected) => {
    expect(compileGlob(pattern).test(id)).toBe(expected);
  });
});
