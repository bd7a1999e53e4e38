/**
 * Where a replica's view group starts, and when it has caught up.
 *
 * A replica's view lives in memory, so whatever its group committed before (a fixed replica id that
 * restarts) is worthless: at boot, before the consumer joins, the group's offsets are set to
 * - the beginning of `assets` (compacted: the whole registry),
 * - `now - telemetryLookbackMs` on `telemetry.samples` (enough to fill the windows without replaying
 *   a day of samples),
 * - `now - anomalyTtlMs` on `anomalies` (every anomaly that can still be open).
 *
 * The replica has caught up when the group's committed offsets reach the ends those topics had at
 * boot. Committed offsets, not handled records, decide: the consumer commits past a batch's last
 * offset, which covers compacted gaps and control records that a handler never sees.
 */
import type { Admin } from 'kafkajs';
import { retryTransient, type Logger } from '@maestro/bus';

/** Where one topic's reading starts: from the beginning, or from a time. */
export type StartAt = { readonly topic: string; readonly from: 'earliest' } | { readonly topic: string; readonly from: 'time'; readonly atMs: number };

export interface CatchUp {
  /** True once every partition's committed offset reached its end at boot; stays true. */
  caughtUp(): boolean;
  /** Resolves once caught up, or after `timeoutMs` with false. */
  wait(timeoutMs: number): Promise<boolean>;
  /** Stops polling. Safe to call twice. */
  stop(): void;
}

/** Sets the group's starting offsets and returns the ends (per topic and partition) to catch up to. */
export async function positionGroup(admin: Admin, groupId: string, starts: readonly StartAt[]): Promise<Map<string, Map<number, bigint>>> {
  const ends = new Map<string, Map<number, bigint>>();
  for (const start of starts) {
    const offsets = await retryTransient(() => admin.fetchTopicOffsets(start.topic));
    const partitions = start.from === 'earliest'
      ? offsets.map((p) => ({ partition: p.partition, offset: p.low }))
      : await retryTransient(() => admin.fetchTopicOffsetsByTimestamp(start.topic, start.atMs));
    // Fails while an earlier process with the same replica id is still a member (until its session
    // times out); the start fails with that message and the orchestrator restarts the process.
    await retryTransient(() => admin.setOffsets({ groupId, topic: start.topic, partitions }));
    const from = new Map(partitions.map((p) => [p.partition, BigInt(p.offset)]));
    // Partitions with nothing to read need no catching up.
    ends.set(start.topic, new Map(offsets.filter((p) => BigInt(p.high) > (from.get(p.partition) ?? 0n)).map((p) => [p.partition, BigInt(p.high)])));
  }
  return ends;
}

/** Polls the group's committed offsets until they reach `ends`. */
export function watchCatchUp(options: { admin: Admin; groupId: string; ends: Map<string, Map<number, bigint>>; pollMs: number; logger: Logger }): CatchUp {
  const { admin, groupId, ends, logger } = options;
  const startedAt = Date.now();
  let done = [...ends.values()].every((m) => m.size === 0);
  const waiters = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const finish = () => {
    done = true;
    logger.info({ groupId, tookMs: Date.now() - startedAt }, 'view caught up with the registry, telemetry and anomalies');
    for (const w of waiters) w();
    waiters.clear();
  };

  async function check(): Promise<void> {
    const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
    for (const { topic, partitions } of committed) {
      const topicEnds = ends.get(topic);
      for (const p of partitions) {
        const end = topicEnds?.get(p.partition);
        if (end !== undefined && BigInt(p.offset) >= end) topicEnds!.delete(p.partition);
      }
    }
    if ([...ends.values()].every((m) => m.size === 0)) finish();
  }

  const poll = () => {
    if (stopped || done) return;
    check()
      .catch((err: unknown) => logger.warn({ err, groupId }, 'committed offsets not read; retrying'))
      .finally(() => {
        if (!stopped && !done) timer = setTimeout(poll, options.pollMs);
      });
  };
  if (done) logger.info({ groupId }, 'view topics empty at boot: caught up');
  else poll();

  return {
    caughtUp: () => done,
    wait(timeoutMs) {
      if (done) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const onDone = () => {
          clearTimeout(t);
          resolve(true);
        };
        const t = setTimeout(() => {
          waiters.delete(onDone);
          resolve(false);
        }, timeoutMs);
        waiters.add(onDone);
      });
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
