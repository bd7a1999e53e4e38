/**
 * Which partitions of a consumer have not moved for too long. A partition is watched while its
 * handler runs (one that never returns must not look healthy) and while its records keep failing
 * transiently (from the first failure at an offset until a batch is handled past it); it is stalled
 * once either has lasted `stallAfterMs`. Readiness and `maestro_consumer_stalled` read it.
 *
 * A partition that skipped a record because its `.dlq` topic refused even a minimal dead letter is
 * not stuck, but it lost a record with no trace on Kafka: readiness reports it too (the gauge does
 * not: `maestro_dead_letters_lost_total` counts those), with the skipped offset, at once.
 */
export interface PartitionStall {
  topic: string;
  partition: number;
  /** The first offset not yet handled. */
  offset: string;
  /** When the records at `offset` first failed, or the running handler started, epoch ms. */
  sinceMs: number;
  attempts: number;
  error: string;
}

/** A partition as the tracker knows it: the broker's topic name, the catalog's (metric label) and its number. */
export interface PartitionRef {
  topic: string;
  catalogName: string;
  partition: number;
}

export interface StallTracker {
  /** A batch's handler starts on the records from `offset`. */
  started(ref: PartitionRef, offset: string): void;
  /** The handler returned, whatever the outcome. */
  finished(ref: PartitionRef): void;
  /** The records from `offset` failed; returns how many times in a row they have. */
  failed(ref: PartitionRef, offset: string, error: string): number;
  /** A batch was handled to its end: the partition moves again. */
  recovered(ref: PartitionRef): void;
  /**
   * A record at `offset` was skipped because its dead letter could not be written: reported (as not
   * ready) at once, until a later dead letter of the partition is written or the partition moves.
   */
  lostDeadLetter(ref: PartitionRef, offset: string, error: string): void;
  /** A dead letter of the partition was written: its `.dlq` topic takes letters again. */
  deadLetterWritten(ref: PartitionRef): void;
  /** Forgets the partitions not in the group's new assignment (topic → partitions): they are another member's now. */
  keepOnly(assigned: Readonly<Record<string, readonly number[]>>): void;
  stalled(): PartitionStall[];
  /** Sets the gauge of every watched partition; run on a timer, since a hung handler produces no event. */
  refresh(): void;
}

type Watched = PartitionStall & { catalogName: string };

/** Where stalls are shown: `maestro_consumer_stalled` (a prom-client Gauge fits). */
export interface StallGauge {
  set(labels: { topic: string; partition: string }, value: number): void;
}

export function createStallTracker(options: { stallAfterMs: number; now: () => number; gauge?: StallGauge | undefined }): StallTracker {
  const { stallAfterMs, now, gauge } = options;
  const failing = new Map<string, Watched>();
  const running = new Map<string, Watched>();
  const lost = new Map<string, Watched>();
  const keyOf = (ref: PartitionRef) => `${ref.topic}|${ref.partition}`;
  const isStalled = (w: Watched) => now() - w.sinceMs >= stallAfterMs;
  const setGauge = (ref: PartitionRef, value: number) => gauge?.set({ topic: ref.catalogName, partition: String(ref.partition) }, value);
  // One entry per partition; a failing one's retry in flight counts from its first failure.
  const watched = () => [...new Map([...running, ...failing]).values()];

  return {
    started(ref, offset) {
      running.set(keyOf(ref), { ...ref, offset, sinceMs: now(), attempts: 1, error: 'the handler has not returned' });
    },
    finished(ref) {
      running.delete(keyOf(ref));
    },
    failed(ref, offset, error) {
      const previous = failing.get(keyOf(ref));
      const same = previous?.offset === offset;
      const entry = { ...ref, offset, sinceMs: same ? previous.sinceMs : now(), attempts: same ? previous.attempts + 1 : 1, error };
      failing.set(keyOf(ref), entry);
      setGauge(ref, isStalled(entry) ? 1 : 0);
      return entry.attempts;
    },
    recovered(ref) {
      failing.delete(keyOf(ref));
      setGauge(ref, 0);
    },
    lostDeadLetter(ref, offset, error) {
      const previous = lost.get(keyOf(ref));
      lost.set(keyOf(ref), { ...ref, offset, sinceMs: previous?.sinceMs ?? now(), attempts: (previous?.attempts ?? 0) + 1, error });
    },
    deadLetterWritten(ref) {
      lost.delete(keyOf(ref));
    },
    keepOnly(assigned) {
      for (const [key, entry] of failing) {
        if (assigned[entry.topic]?.includes(entry.partition)) continue;
        failing.delete(key);
        setGauge(entry, 0);
      }
      for (const [key, entry] of lost) if (!assigned[entry.topic]?.includes(entry.partition)) lost.delete(key);
    },
    // A lost dead letter is reported at once: no retry is coming that could make it good.
    stalled: () => [...watched().filter(isStalled), ...lost.values()].map(({ catalogName: _, ...stall }) => stall),
    refresh() {
      for (const w of watched()) setGauge(w, isStalled(w) ? 1 : 0);
    },
  };
}
