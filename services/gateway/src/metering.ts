/**
 * Per-call metering: wall-clock held and the gateway's own CPU time, charged only for synchronous
 * stretches of one call's work (parsing, schema validation, signature verification, hashing).
 * JavaScript runs one stretch at a time on the event-loop thread, so a stretch's elapsed time is
 * that thread's CPU time for this call, give or take the OS preempting it. It is read with the
 * monotonic clock rather than process.cpuUsage(): getrusage sums every thread of the process and
 * cost more than the work it measured (7 % of the gateway's CPU under the protocol benchmark).
 * Time spent awaiting Redis or Kafka is wall-clock, not CPU.
 */
export interface Meter {
  /** Runs `work` synchronously and charges its CPU time to the call. */
  cpu<T>(work: () => T): T;
  cpuMicros(): number;
  wallClockMs(): number;
}

export function startMeter(): Meter {
  const startedAt = performance.now();
  let micros = 0;
  return {
    cpu(work) {
      const before = performance.now();
      try {
        return work();
      } finally {
        micros += (performance.now() - before) * 1000;
      }
    },
    cpuMicros: () => Math.round(micros),
    wallClockMs: () => Math.round((performance.now() - startedAt) * 1000) / 1000,
  };
}
