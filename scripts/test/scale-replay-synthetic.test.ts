import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticTrace } from '../scale-replay/synthetic';

const digest = (demand: Float64Array) => createHash('sha256').update(Buffer.from(demand.buffer, demand.byteOffset, demand.byteLength)).digest('hex').slice(0, 16);

describe('scale replay: synthetic shapes', () => {
  it('the shapes the replay table was measured on stay byte-identical when a shape is added', () => {
    // Seed 1 of each, as the table in docs/benchmarks.md ("Scaling replay") was measured.
    expect(digest(syntheticTrace('daily').demand)).toBe('c4e47b8bcbd09a22');
    expect(digest(syntheticTrace('flash').demand)).toBe('6891432843fd5947');
    expect(digest(syntheticTrace('ramp').demand)).toBe('bb32adbc6be34fb7');
    expect(digest(syntheticTrace('step').demand)).toBe('2d912c097bc996e0');
  });

  describe('weblog: an access log counted per second', () => {
    const { demand } = syntheticTrace('weblog');
    const DAY_S = 86_400;
    const meanOf = (from: number, to: number) => {
      let sum = 0;
      for (let s = from; s < to; s++) sum += demand[s]!;
      return sum / (to - from);
    };

    it('ten days of whole request counts at a few requests a second, the same for the same seed', () => {
      expect(demand).toHaveLength(10 * DAY_S);
      expect(demand.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
      const mean = meanOf(0, demand.length);
      expect(mean).toBeGreaterThan(2);
      expect(mean).toBeLessThan(5);
      expect(digest(syntheticTrace('weblog').demand)).toBe(digest(demand));
      expect(digest(syntheticTrace('weblog', 2).demand)).not.toBe(digest(demand));
    });

    it('is over-dispersed: per-second variance several times the mean, as page views come in bursts', () => {
      // Within ten-minute blocks, so that the daily cycle does not count as variance.
      let ratio = 0;
      let blocks = 0;
      for (let from = 0; from + 600 <= demand.length; from += 600) {
        const m = meanOf(from, from + 600);
        let v = 0;
        for (let s = from; s < from + 600; s++) v += (demand[s]! - m) ** 2;
        ratio += v / 599 / m;
        blocks++;
      }
      expect(ratio / blocks).toBeGreaterThan(2.5);
    });

    it('is busy in the working day, quiet at night, quieter at the weekend', () => {
      const hours = (day: number, from: number, to: number) => meanOf(day * DAY_S + from * 3600, day * DAY_S + to * 3600);
      const weekdayNoon = [0, 1, 2, 3, 4].map((d) => hours(d, 10, 13)).reduce((a, b) => a + b) / 5;
      const weekdayNight = [0, 1, 2, 3, 4].map((d) => hours(d, 2, 5)).reduce((a, b) => a + b) / 5;
      const weekendNoon = (hours(5, 10, 13) + hours(6, 10, 13)) / 2;
      expect(weekdayNoon).toBeGreaterThan(2.5 * weekdayNight);
      expect(weekendNoon).toBeLessThan(0.8 * weekdayNoon);
    });
  });
});
