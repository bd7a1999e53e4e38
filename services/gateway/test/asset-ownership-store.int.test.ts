/** The ownership script against Redis: claims what no one owns, keeps an owner's assets, and writes nothing for a batch that names another tenant's asset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyspace, createRedis, type Redis } from '@maestro/state';
import { assetOwnersKey } from '@maestro/telemetry';
import { createAssetOwnershipStore, type AssetOwnershipStore } from '../src/asset-ownership-store';
import { deletePrefixed } from '../../../test/support/redis-keys';
import { stackEnv, uniquePrefix } from '../../../test/support/environment';

const prefix = uniquePrefix('owners');
const keys = createKeyspace(prefix);
let redis: Redis;
let store: AssetOwnershipStore;

beforeAll(async () => {
  redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'gateway-owners-test' });
  await redis.connect();
  store = createAssetOwnershipStore(redis, keys);
});

afterAll(async () => {
  await deletePrefixed(redis, prefix);
  await redis.quit();
});

describe('asset ownership in Redis', () => {
  it('claims unowned assets for the reporter, and lets the owner report again', async () => {
    expect(await store.claimOrCheck('acme', ['a1', 'a2'])).toEqual({ foreign: new Map(), claimed: ['a1', 'a2'] });
    expect(await store.claimOrCheck('acme', ['a1', 'a3'])).toEqual({ foreign: new Map(), claimed: ['a3'] });
    expect(await redis.hgetall(assetOwnersKey(keys))).toEqual({ a1: 'acme', a2: 'acme', a3: 'acme' });
  });

  it('refuses a batch naming another tenant\'s asset and claims none of the rest', async () => {
    expect(await store.claimOrCheck('globex', ['g-new', 'a2'])).toEqual({ foreign: new Map([['a2', 'acme']]), claimed: [] });
    expect(await redis.hexists(assetOwnersKey(keys), 'g-new')).toBe(0);
  });

  it('follows an owner discovery wrote over a claim', async () => {
    await redis.hset(assetOwnersKey(keys), { a3: 'globex' });
    expect((await store.claimOrCheck('acme', ['a3'])).foreign).toEqual(new Map([['a3', 'globex']]));
    expect((await store.claimOrCheck('globex', ['a3'])).foreign.size).toBe(0);
  });

  it('gives a new asset to exactly one of many tenants racing for it', async () => {
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimOrCheck(`t${i}`, ['contested'])));
    expect(verdicts.filter((v) => v.claimed.length === 1)).toHaveLength(1);
    expect(verdicts.filter((v) => v.foreign.size === 1)).toHaveLength(19);
  });
});
