import { describe, expect, it } from 'vitest';
import { generateFleet, generateSeasonalPointFleet, INCIDENT_KINDS, LEARNING_FRACTION, scoreFleet } from '../synthetic-fleet-bench/fleet';

describe('synthetic fleet: generation', () => {
  const fleet = generateFleet(7, 4, 2_000);

  it('is the same fleet for the same seed, another for another seed', () => {
    expect(generateFleet(7, 4, 2_000)).toEqual(fleet);
    expect(generateFleet(8, 4, 2_000)[5]!.values).not.toEqual(fleet[5]!.values);
  });

  it('places incidents after the learning time, inside the series, apart, and of known kinds', () => {
    for (const s of fleet) {
      expect(s.values).toHaveLength(2_000);
      s.incidents.forEach((inc, k) => {
        expect(INCIDENT_KINDS).toContain(inc.kind);
        expect(inc.start).toBeGreaterThanOrEqual(LEARNING_FRACTION * 2_000);
        expect(inc.end).toBeLessThan(2_000);
        if (k > 0) expect(inc.start).toBeGreaterThan(s.incidents[k - 1]!.end);
      });
    }
    expect(fleet.filter((s) => s.incidents.length === 0).length).toBeGreaterThan(0);
  });
});

describe('synthetic fleet: the seasonal case', () => {
  const fleet = generateSeasonalPointFleet(7, 6);
  const perDay = 288;
  const hourOf = (index: number) => ((index % perDay) / perDay) * 24;

  it('is the same fleet for the same seed', () => {
    expect(generateSeasonalPointFleet(7, 6)).toEqual(fleet);
  });

  it('puts spikes within an hour of a sinusoid\'s crest (06:00) and drops of its trough (18:00), inside business hours or the night for the other shape', () => {
    const points = fleet.flatMap((s) => s.incidents.filter((i) => i.kind !== 'drift').map((i) => ({ shape: s.shape, kind: i.kind, hour: hourOf(i.start) })));
    expect(points.length).toBeGreaterThan(3);
    for (const p of points) {
      if (p.shape === 'sinusoid') expect(Math.abs(p.hour - (p.kind === 'spike' ? 6 : 18)), JSON.stringify(p)).toBeLessThanOrEqual(1);
      else if (p.kind === 'spike') expect(p.hour >= 10 && p.hour <= 16, JSON.stringify(p)).toBe(true);
      else expect(p.hour >= 18 || p.hour <= 6, JSON.stringify(p)).toBe(true);
    }
  });

  it('places incidents after the learning time, inside the series and apart', () => {
    for (const s of fleet) {
      s.incidents.forEach((inc, k) => {
        expect(['spike', 'drop', 'drift']).toContain(inc.kind);
        expect(inc.start).toBeGreaterThanOrEqual(LEARNING_FRACTION * s.values.length);
        expect(inc.end).toBeLessThan(s.values.length);
        if (k > 0) expect(inc.start).toBeGreaterThan(s.incidents[k - 1]!.end);
      });
    }
  });
});

describe('synthetic fleet: scoring', () => {
  const fleet = generateFleet(3, 4, 2_000);
  const withIncident = fleet.findIndex((s) => s.incidents.length > 0);
  const inc = fleet[withIncident]!.incidents[0]!;

  it('gives a perfect score to one alarm at each incident start, with its kind', () => {
    const s = scoreFleet(fleet, fleet.map((f) => f.incidents.map((i) => ({ index: i.start, kind: i.kind }))));
    expect(s.recall).toBe(1);
    expect(s.precision).toBe(1);
    expect(s.kindAgreement).toBe(1);
    expect(s.falseAlarms).toBe(0);
    expect(s.latencySamples.p50).toBe(0);
  });

  it('counts a repeat inside the incident span as a repeat, an alarm far away as false, one before the learning time as nothing', () => {
    const alarms = fleet.map(() => [] as { index: number; kind: string }[]);
    alarms[withIncident] = [{ index: 10, kind: 'spike' }, { index: inc.start + 2, kind: 'drop' }, { index: inc.end + 5, kind: 'drift' }];
    const far = fleet.findIndex((s) => s.incidents.length === 0);
    alarms[far] = [{ index: 1_500, kind: 'spike' }];
    const s = scoreFleet(fleet, alarms);
    expect(s.detected).toBe(1);
    expect(s.repeats).toBe(1);
    expect(s.falseAlarms).toBe(1);
    expect(s.latencySamples.p50).toBe(2);
    expect(s.precision).toBeCloseTo(1 / 3, 6);
  });
});
