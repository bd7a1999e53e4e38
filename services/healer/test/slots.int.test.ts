import { beforeAll, describe, expect, it } from 'vitest';
import { createSlots, type Slots } from '../src/slots';
import type { HealingMode, SlotClaim } from '../src/domain';
import { useRedis } from '../../../test/support/redis-keys';

const db = useRedis('slots');
let slots: Slots;

function claim(mode: HealingMode, anomalyId: string, assetId: string, cap = { scope: 'global', limit: 10 }): SlotClaim {
  return {
    dedupeKey: `${anomalyId}#0`, assetId, mode, dedupeTtlMs: 60_000, cooldownMs: 60_000, enforceCooldown: true,
    caps: [cap], slotTtlMs: 60_000, supersedes: null,
  };
}

beforeAll(async () => {
  slots = createSlots(db.redis, db.keys);
});

describe('healer slots in Redis', () => {
  it('dry-run cooldown of an action that never ran does not suppress the next anomaly: it says what live mode would have done', async () => {
    const now = Date.now();
    expect(await slots.claim([claim('dry_run', 'dry-1', 'asset-d')], now)).toEqual([{ status: 'acquired' }]);
    const [second] = await slots.claim([claim('dry_run', 'dry-2', 'asset-d')], now + 1);
    expect(second).toMatchObject({ status: 'acquired', wouldHold: { status: 'cooldown' } });
    // Its dedupe key is written all the same: the redelivered anomaly is not decided twice.
    expect(await slots.claim([claim('dry_run', 'dry-2', 'asset-d')], now + 2)).toEqual([{ status: 'pending' }]);
  });

  it('dry-run caps report, never refuse', async () => {
    const now = Date.now();
    const cap = { scope: 'region:eu-test-1', limit: 1 };
    expect(await slots.claim([claim('dry_run', 'cap-1', 'asset-c1', cap)], now)).toEqual([{ status: 'acquired' }]);
    const [second] = await slots.claim([claim('dry_run', 'cap-2', 'asset-c2', cap)], now);
    expect(second).toEqual({ status: 'acquired', wouldHold: { status: 'cap_reached', scope: 'region:eu-test-1', inFlight: 1, limit: 1 } });
  });

  it('live mode still enforces the cooldown', async () => {
    const now = Date.now();
    expect(await slots.claim([claim('live', 'live-1', 'asset-l')], now)).toEqual([{ status: 'acquired' }]);
    const [second] = await slots.claim([claim('live', 'live-2', 'asset-l')], now + 1);
    expect(second).toMatchObject({ status: 'cooldown' });
    expect(await slots.claim([claim('live', 'live-2', 'asset-l')], now + 2)).toMatchObject([{ status: 'cooldown' }]);
  });
});
