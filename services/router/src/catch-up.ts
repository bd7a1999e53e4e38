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
import type { Admin, Kafka } from 'kafkajs';
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

/**
 * Sets the group's starting offsets and returns the ends (per topic and partition) to catch up to.
 *
 * One short-lived member joins the group for every topic at once, seeks each partition (kafkajs
 * commits a seek of a running member) and leaves after its first fetch round. `admin.setOffsets`
 * does the same one topic at a time, and a paused member's fetch round sleeps its full wait time
 * (5 s): three topics cost a restarted router about 15 s before it could even start reading.
 */
export async function positionGroup(kafka: Kafka, admin: Admin, groupId: string, starts: readonly StartAt[]): Promise<Map<string, Map<number, bigint>>> {
  const ends = new Map<string, Map<number, bigint>>();
  const seeks: { topic: string; partition: number; offset: string }[] = [];
  for (const start of starts) {
    const offsets = await retryTransient(() => admin.fetchTopicOffsets(start.topic));
    const partitions = start.from === 'earliest'
      ? offsets.map((p) => ({ partition: p.partition, offset: p.low }))
      : await retryTransient(() => admin.fetchTopicOffsetsByTimestamp(start.topic, start.atMs));
    seeks.push(...partitions.map((p) => ({ topic: start.topic, partition: p.partition, offset: p.offset })));
    const from = new Map(partitions.map((p) => [p.partition, BigInt(p.offset)]));
    // Partitions with nothing to read need no catching up.
    ends.set(start.topic, new Map(offsets.filter((p) => BigInt(p.high) > (from.get(p.partition) ?? 0n)).map((p) => [p.partition, BigInt(p.high)])));
  }
  await retryTransient(() => commitStarts(kafka, admin, groupId, seeks));
  return ends;
}

async function commitStarts(kafka: Kafka, admin: Admin, groupId: string, seeks: readonly { topic: string; partition: number; offset: string }[]): Promise<void> {
  // Another live member would be given some of the partitions, and a seek of a partition this member
  // was not assigned is dropped without a word: refuse instead. This happens while an earlier process
  // with the same replica id is still a member (until its session times out); the start then fails
  // with this message and the supervisor restarts the process.
  const [group] = (await admin.describeGroups([groupId])).groups;
  if (group && group.state !== 'Empty' && group.state !== 'Dead') {
    throw new Error(`view group ${groupId} still has members (state ${group.state}); its starting offsets cannot be set`);
  }
  const member = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const topicNames = [...new Set(seeks.map((s) => s.topic))];
  await member.connect();
  try {
    await member.subscribe({ topics: topicNames, fromBeginning: true });
    let fetchRounds = 0;
    let failure: unknown;
    member.on(member.events.FETCH, () => void fetchRounds++);
    member.on(member.events.CRASH, (event) => void (failure = event.payload.error));
    // As kafkajs's own setOffsets does: pause and seek right after run(), before the first fetch
    // round, which applies the seeks (a commit each) and then finds nothing to fetch.
    member.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch((err: unknown) => void (failure = err));
    member.pause(topicNames.map((topic) => ({ topic })));
    for (const seek of seeks) member.seek(seek);
    const deadline = Date.now() + 30_000;
    let seen = -1;
    for (;;) {
      if (failure !== undefined) throw failure;
      // A fetch round covers the partitions of one broker: read the commits back rather than
      // trusting the first round to have carried them all.
      if (fetchRounds !== seen) {
        seen = fetchRounds;
        if (seen > 0 && (await missingStarts(admin, groupId, seeks)) === 0) return;
      }
      if (Date.now() > deadline) throw new Error(`view group ${groupId}: starting offsets not committed within 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await member.disconnect();
  }
}

async function missingStarts(admin: Admin, groupId: string, seeks: readonly { topic: string; partition: number; offset: string }[]): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...new Set(seeks.map((s) => s.topic))] });
  const at = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, p.offset] as const)));
  return seeks.filter((s) => at.get(`${s.topic}/${s.partition}`) !== s.offset).length;
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
