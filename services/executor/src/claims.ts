import { readFileSync } from 'node:fs';
import type { Keyspace, Redis } from '@maestro/state';
import type { Claim } from './domain';

const script = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

/** The executor's once-only bookkeeping per action id, in Redis (scripts in ./lua). */
export interface Claims {
  claim(actionId: string, nowMs: number): Promise<Claim>;
  /** False when the lease was lost to another replica. */
  renew(actionId: string, leaseUntilMs: number): Promise<boolean>;
  /** Stores the result while this replica still owns the run; false when it does not. */
  finish(actionId: string, resultJson: string): Promise<boolean>;
  /** The result is on the topic: a redelivery from now on is a duplicate. */
  markPublished(actionId: string): Promise<void>;
}

interface ClaimCommands {
  executorClaim(key: string, owner: string, now: number, leaseMs: number, ttlMs: number): Promise<(string | number)[]>;
  executorRenew(key: string, owner: string, leaseUntil: number): Promise<number>;
  executorFinish(key: string, owner: string, resultJson: string): Promise<number>;
}

export function createClaims(redis: Redis, keys: Keyspace, options: { owner: string; leaseMs: number; ttlMs: number }): Claims {
  redis.defineCommand('executorClaim', { numberOfKeys: 1, lua: script('claim-action') });
  redis.defineCommand('executorRenew', { numberOfKeys: 1, lua: script('renew-lease') });
  redis.defineCommand('executorFinish', { numberOfKeys: 1, lua: script('finish-action') });
  const commands = redis as unknown as ClaimCommands;
  const keyOf = (actionId: string) => keys.key('executor', 'action', actionId);

  return {
    async claim(actionId, nowMs) {
      const [status, a, b] = await commands.executorClaim(keyOf(actionId), options.owner, nowMs, options.leaseMs, options.ttlMs);
      switch (status) {
        case 'claimed': return { status: 'claimed' };
        case 'taken_over': return { status: 'taken_over', runs: Number(a), previousOwner: String(b) };
        case 'held': return { status: 'held', owner: String(a), remainingMs: Number(b) };
        case 'finished': return { status: 'finished', resultJson: String(a) };
        case 'published': return { status: 'published' };
        default: throw new Error(`claim-action.lua returned ${String(status)}`);
      }
    },
    async renew(actionId, leaseUntilMs) {
      return (await commands.executorRenew(keyOf(actionId), options.owner, leaseUntilMs)) === 1;
    },
    async finish(actionId, resultJson) {
      return (await commands.executorFinish(keyOf(actionId), options.owner, resultJson)) === 1;
    },
    async markPublished(actionId) {
      await redis.hset(keyOf(actionId), 'state', 'published');
    },
  };
}
