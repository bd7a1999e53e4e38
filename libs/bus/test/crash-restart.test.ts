import { describe, expect, it } from 'vitest';
import { createCrashRestarter, type CrashRestarterOptions } from '../src/crash-restart';

/** A restarter on a hand-driven clock: `fire()` runs the pending timer and settles the restart it starts. */
function rig(restart: CrashRestarterOptions['restart']) {
  const delays: number[] = [];
  const failures: number[] = [];
  let pending: (() => void) | null = null;
  const restarter = createCrashRestarter({
    restart,
    initialDelayMs: 500,
    maxDelayMs: 5_000,
    onRestart: (_attempt, delayMs) => delays.push(delayMs),
    onRestartFailed: (_error, attempt) => failures.push(attempt),
    setTimer: (run, _ms) => {
      pending = run;
      return { cancel: () => { pending = null; } };
    },
  });
  return {
    restarter, delays, failures,
    hasPending: () => pending !== null,
    async fire() {
      const run = pending;
      pending = null;
      run?.();
      // Let the restart's promise settle (and a failed one schedule the next).
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('restarting a consumer kafkajs gave up on', () => {
  it('leaves a crash kafkajs restarts itself alone', () => {
    let restarts = 0;
    const r = rig(async () => { restarts++; });
    r.restarter.crashed(true);
    expect(r.hasPending()).toBe(false);
    expect(restarts).toBe(0);
  });

  it('restarts after a crash kafkajs does not restart from', async () => {
    let restarts = 0;
    const r = rig(async () => { restarts++; });
    r.restarter.crashed(false);
    expect(r.delays).toEqual([500]);
    await r.fire();
    expect(restarts).toBe(1);
  });

  it('tries again with a doubling backoff, up to its bound, while the restart fails, and starts over once joined', async () => {
    let failing = 6;
    const r = rig(async () => {
      if (failing-- > 0) throw new Error('no group coordinator yet');
    });
    r.restarter.crashed(false);
    for (let i = 0; i < 7; i++) await r.fire();
    expect(r.delays).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    expect(r.failures).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.hasPending()).toBe(false);
    r.restarter.joined();
    r.restarter.crashed(false);
    expect(r.delays.at(-1)).toBe(500);
  });

  it('schedules one restart for crashes that come while one is pending', () => {
    const r = rig(async () => {});
    r.restarter.crashed(false);
    r.restarter.crashed(false);
    expect(r.delays).toEqual([500]);
  });

  it('restarts nothing once stopped, and drops a pending restart', async () => {
    let restarts = 0;
    const r = rig(async () => { restarts++; });
    r.restarter.crashed(false);
    r.restarter.stop();
    expect(r.hasPending()).toBe(false);
    r.restarter.crashed(false);
    await r.fire();
    expect(restarts).toBe(0);
  });
});
