import { readFileSync } from 'node:fs';
import type { Keyspace, Redis } from '@maestro/state';
import type { HeldBack, SlotAcquisition, SlotClaim } from './domain';

const claimScript = readFileSync(new URL('./lua/claim-slot.lua', import.meta.url), 'utf8');

/** The healer's atomic Redis operations on dedupe keys, cooldowns and concurrency caps. */
export interface Slots {
  /** Claims every slot in one round trip; scripts run in order, so a later claim sees an earlier one. */
  claim(claims: readonly SlotClaim[], nowMs: number): Promise<(SlotAcquisition | { status: 'pending' })[]>;
  /** Marks claims whose action is published, so a redelivery is a duplicate rather than a re-publish. */
  confirm(claims: readonly SlotClaim[]): Promise<void>;
  /** Gives finished actions' slots back to the caps, in one round trip. */
  release(claims: readonly Pick<SlotClaim, 'mode' | 'caps' | 'dedupeKey'>[]): Promise<void>;
}

export function createSlots(redis: Redis, keys: Keyspace): Slots {
  redis.defineCommand('healerClaimSlot', { lua: claimScript });
  // Dry-run keys live apart: shadow mode exercises cooldowns and caps without blocking live actions.
  const ns = (mode: string) => `healer-${mode}`;
  const dedupeKey = (c: Pick<SlotClaim, 'mode' | 'dedupeKey' | 'assetId'>) => keys.key(ns(c.mode), 'dedupe', c.assetId, c.dedupeKey);
  const capKey = (mode: string, scope: string) => keys.global(ns(mode), `cap:${scope}`);

  return {
    async claim(claims, nowMs) {
      if (claims.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const c of claims) {
        const keyList = [dedupeKey(c), keys.key(ns(c.mode), 'cooldown', c.assetId), ...c.caps.map((cap) => capKey(c.mode, cap.scope))];
        const args = [nowMs, c.dedupeTtlMs, c.cooldownMs, c.enforceCooldown ? '1' : '0', c.slotTtlMs, c.supersedes ?? '', c.dedupeKey, c.mode === 'dry_run' ? '1' : '0', ...c.caps.map((cap) => cap.limit)];
        (pipeline as unknown as { healerClaimSlot(n: number, ...a: (string | number)[]): void }).healerClaimSlot(keyList.length, ...keyList, ...args);
      }
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, reply], i) => {
        if (error) throw error;
        const [status, ...rest] = reply as [string, ...(string | number)[]];
        const held = (kind: unknown, [a, b, c]: unknown[]): HeldBack => {
          if (kind === 'cooldown') return { status: 'cooldown', remainingMs: Number(a) };
          if (kind === 'cap_reached') return { status: 'cap_reached', scope: claims[i]!.caps[Number(a) - 1]!.scope, inFlight: Number(b), limit: Number(c) };
          throw new Error(`claim-slot.lua returned ${String(status)} ${String(kind)}`);
        };
        switch (status) {
          case 'acquired': return { status: 'acquired' };
          case 'pending': return { status: 'pending' };
          case 'duplicate': return { status: 'duplicate' };
          // A dry run: the slot is the shadow's, and the audit says what live mode would have done.
          case 'shadowed': return { status: 'acquired', wouldHold: held(rest[0], rest.slice(1)) };
          default: return held(status, rest);
        }
      });
    },
    async confirm(claims) {
      if (claims.length === 0) return;
      const pipeline = redis.pipeline();
      for (const c of claims) pipeline.set(dedupeKey(c), 'done', 'KEEPTTL');
      await pipeline.exec();
    },
    async release(claims) {
      if (claims.length === 0) return;
      const pipeline = redis.pipeline();
      for (const claim of claims) for (const cap of claim.caps) pipeline.zrem(capKey(claim.mode, cap.scope), claim.dedupeKey);
      await pipeline.exec();
    },
  };
}
