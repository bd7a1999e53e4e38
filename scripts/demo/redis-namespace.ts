/**
 * Each demo run keeps its Redis state under a namespace of its own. The simulated fleet is made anew
 * every run under the same asset ids, and state a previous run left would meet it: its cooldowns held
 * back the new run's first actions (a run started within five minutes of the last carried out none),
 * and its ingest ordering state refused the new backfill's first seconds as `too_late`. A namespace
 * per run also keeps the demo out of the state `npm start` keeps under the default prefix.
 *
 * Kafka is shared with earlier runs: the services' consumer groups go on from their committed
 * offsets, so a fresh namespace meets only this run's records.
 */
import { createRedis } from '@maestro/state';

/** Every demo run's namespace starts with this. */
export const DEMO_PREFIX_ROOT = 'maestro:demo:';

/** The namespace of the run started at `startedMs` (under `root`: a test's own, so as not to touch a demo running beside it). */
export function demoRedisPrefix(startedMs: number, root = DEMO_PREFIX_ROOT): string {
  return `${root}${startedMs}:`;
}

/**
 * Deletes the keys of demo namespaces other than `keep` (runs that ended, or were killed before they
 * could clean up), or of `keep` alone with `only`. Answers how many keys went.
 */
export async function clearDemoNamespaces(redisUrl: string, { keep, only, root = DEMO_PREFIX_ROOT }: { keep?: string; only?: string; root?: string }): Promise<number> {
  const redis = createRedis({ url: redisUrl, connectionName: 'maestro-demo-cleanup' });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${only ?? root}*`, 'COUNT', 1000);
      cursor = next;
      const doomed = keep === undefined ? keys : keys.filter((k) => !k.startsWith(keep));
      if (doomed.length > 0) deleted += await redis.unlink(...doomed);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
