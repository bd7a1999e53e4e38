import { describe, expect, it } from 'vitest';
import { nextRestart, type RestartBackoff } from '../supervision/restart-backoff';

const policy: RestartBackoff = { initialMs: 1_000, maxMs: 30_000, healthyAfterMs: 60_000 };

describe('restart backoff', () => {
  it('restarts a process that stayed up after the shortest wait, whatever came before', () => {
    expect(nextRestart(60_000, 0, policy)).toEqual({ delayMs: 1_000, quickDeaths: 1 });
    expect(nextRestart(3_600_000, 7, policy)).toEqual({ delayMs: 1_000, quickDeaths: 1 });
  });

  it('doubles the wait for each death soon after a start, up to the cap', () => {
    const waits: number[] = [];
    let quick = 0;
    for (let i = 0; i < 8; i++) {
      const next = nextRestart(500, quick, policy);
      waits.push(next.delayMs);
      quick = next.quickDeaths;
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over once a restarted process stays up', () => {
    const looping = nextRestart(100, 4, policy);
    expect(looping.delayMs).toBe(16_000);
    expect(nextRestart(59_999, looping.quickDeaths, policy).delayMs).toBe(30_000);
    expect(nextRestart(60_000, looping.quickDeaths, policy).delayMs).toBe(1_000);
  });
});
