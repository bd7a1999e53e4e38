/**
 * Per-call metering: wall-clock held and the gateway's own CPU time. process.cpuUsage() is
 * process-wide, so it is read only around synchronous stretches of one call's work (parsing,
 * schema validation, signature verification, hashing): JavaScript runs one stretch at a time, so the
 * delta is this call's, give or take GC and libuv threads. Time spent awaiting Redis or Kafka is
 * wall-clock, not CPU.
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
      const before = process.cpuUsage();
      try {
        return work();
      } finally {
        const used = process.cpuUsage(before);
        micros += used.user + used.system;
      }
    },
    cpuMicros: () => micros,
    wallClockMs: () => Math.round((performance.now() - startedAt) * 1000) / 1000,
  };
}
