/**
 * The registry state in Redis: one JSON value, written once per round by the leader and read by the
 * next leader on takeover. The write is fenced by the lease in the same script, so a replica that
 * lost its lease cannot overwrite its successor's state.
 */
import type { Logger } from '@maestro/bus';
import type { Redis } from '@maestro/state';
import { restoreRegistry, type RegistryState } from './domain/index';

/*
 * KEYS[1]  the leader lease key; its value is the holder's replica id
 * KEYS[2]  the registry state key
 * ARGV[1]  this replica's id
 * ARGV[2]  the state, JSON
 * Returns 1 when saved, 0 when this replica does not hold the lease (nothing is written).
 * Both keys share the hash tag {all}, so the script also runs on Redis Cluster.
 */
const SAVE_IF_LEADER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

interface StoreCommands {
  discoverySaveRegistry(leaseKey: string, stateKey: string, holder: string, state: string): Promise<number>;
}

export interface RegistryStore {
  /** The stored registry; `null` when none is stored, or it is unreadable or of another version. */
  load(): Promise<RegistryState | null>;
  /** Saves the state while this replica holds the lease; false when it does not (nothing written). */
  save(state: RegistryState): Promise<boolean>;
}

export function createRegistryStore(options: { redis: Redis; stateKey: string; leaseKey: string; holder: string; logger: Logger }): RegistryStore {
  const { redis, stateKey, leaseKey, holder, logger } = options;
  redis.defineCommand('discoverySaveRegistry', { numberOfKeys: 2, lua: SAVE_IF_LEADER });
  const commands = redis as unknown as StoreCommands;
  return {
    async load() {
      const text = await redis.get(stateKey);
      if (text === null) return null;
      try {
        const state = restoreRegistry(JSON.parse(text));
        if (state === null) logger.warn({ key: stateKey }, 'stored registry has another version; rebuilding from the assets topic');
        return state;
      } catch (err: unknown) {
        logger.error({ err, key: stateKey }, 'stored registry is not valid JSON; rebuilding from the assets topic');
        return null;
      }
    },
    async save(state) {
      return (await commands.discoverySaveRegistry(leaseKey, stateKey, holder, JSON.stringify(state))) === 1;
    },
  };
}
