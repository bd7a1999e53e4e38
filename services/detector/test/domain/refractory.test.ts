import { describe, expect, it } from 'vitest';
import { applyRefractory, IDLE } from '../../src/domain/refractory';
import type { Judged } from '../../src/domain/refractory';
import { resolveDetectorConfig } from '../../src/domain/index';
import type { AnomalyKind, Refractory } from '../../src/domain/index';

const config = resolveDetectorConfig({ refractorySamples: 10 });
const HIGH = 0.9;
const LOW = 0.1;

// Incidents in this table move a series from level 100 to 112 (or report a sample there).
const open = (kind: AnomalyKind, direction: number, kinds: AnomalyKind[] = [kind], remaining = 5): Refractory =>
  ({ remaining, kind, direction, kinds, fromLevel: 100, toLevel: 112, quiet: 0 });
const judged = (kind: AnomalyKind, direction: number, score = HIGH, rangeExcess = 0, level = 112): Judged =>
  ({ score, kind, direction, rangeExcess, level, baselineMean: 100 });

describe('applyRefractory: one incident per series, one anomaly per incident', () => {
  it.each<{ name: string; before: Refractory; sample: Judged; reported: boolean; joined: AnomalyKind | null; relatedKinds: AnomalyKind[]; after: Refractory; recovered?: boolean }>([
    {
      name: 'a spike with no incident open is reported and opens one',
      before: IDLE, sample: judged('spike', 1), reported: true, joined: null, relatedKinds: [],
      after: open('spike', 1, ['spike'], 10),
    },
    {
      name: 'a drift up after a spike (a step change) joins the incident, restarting its period',
      before: open('spike', 1), sample: judged('drift', 1), reported: false, joined: 'drift', relatedKinds: [],
      after: open('drift', 1, ['spike', 'drift'], 10),
    },
    {
      name: 'a drift down after a drop joins the incident',
      before: open('drop', -1), sample: judged('drift', -1), reported: false, joined: 'drift', relatedKinds: [],
      after: open('drift', -1, ['drop', 'drift'], 10),
    },
    {
      name: 'a drift after a drift is a repeat of the kind: suppressed, whichever way it goes',
      before: open('drift', 1, ['spike', 'drift']), sample: judged('drift', -1), reported: false, joined: null, relatedKinds: [],
      after: open('drift', 1, ['spike', 'drift'], 4),
    },
    {
      name: 'a drift down after a spike breaks through as another move',
      before: open('spike', 1), sample: judged('drift', -1), reported: true, joined: null, relatedKinds: ['spike'],
      after: open('drift', -1, ['spike', 'drift'], 10),
    },
    {
      name: 'flapping after a spike breaks through (a different remedy)',
      before: open('spike', 1), sample: judged('oscillation', 0), reported: true, joined: null, relatedKinds: ['spike'],
      after: open('oscillation', 0, ['spike', 'oscillation'], 10),
    },
    {
      name: 'a spike on the level of an open drift is the same event: suppressed, not joined',
      before: open('drift', 1, ['spike', 'drift']), sample: judged('spike', 1), reported: false, joined: null, relatedKinds: [],
      after: open('drift', 1, ['spike', 'drift'], 4),
    },
    {
      name: 'a clearly worse value breaks through: the healing is not working',
      before: open('drift', 1, ['spike', 'drift']), sample: judged('spike', 1, HIGH, 0.5), reported: true, joined: null,
      relatedKinds: ['spike', 'drift'], after: open('spike', 1, ['spike', 'drift'], 10),
    },
    {
      name: 'new extremes of flapping are the same event',
      before: open('oscillation', 0), sample: judged('spike', 1, HIGH, 0.5), reported: false, joined: null, relatedKinds: [],
      after: open('oscillation', 0, ['oscillation'], 4),
    },
    {
      name: 'a drift below the threshold is not evidence: nothing joins',
      before: open('spike', 1), sample: judged('drift', 1, LOW), reported: false, joined: null, relatedKinds: [],
      after: open('spike', 1, ['spike'], 4),
    },
    {
      name: 'the incident closes when its period runs out',
      before: open('spike', 1, ['spike'], 1), sample: judged('spike', 1, LOW), reported: false, joined: null,
      relatedKinds: [], after: IDLE,
    },
    {
      name: 'an incident that moved the level is remembered after its period, for its recovery',
      before: open('drift', 1, ['spike', 'drift'], 1), sample: judged('spike', 1, LOW), reported: false, joined: null,
      relatedKinds: [], after: open('drift', 1, ['spike', 'drift'], 0),
    },
    {
      name: 'a drift back near the level from before, after the period, is the recovery: not reported, the way back quiet for a period',
      before: open('drift', 1, ['spike', 'drift'], 0), sample: judged('drift', -1, HIGH, 0, 101), reported: false, joined: null,
      relatedKinds: [], after: { remaining: 10, kind: 'drift', direction: -1, kinds: [], fromLevel: 101, toLevel: 101, quiet: 0 }, recovered: true,
    },
    {
      name: 'a drift back during the period is the recovery too',
      before: open('drift', 1, ['spike', 'drift'], 3), sample: judged('drift', -1, HIGH, 0, 104), reported: false, joined: null,
      relatedKinds: [], after: { remaining: 10, kind: 'drift', direction: -1, kinds: [], fromLevel: 104, toLevel: 104, quiet: 0 }, recovered: true,
    },
    {
      name: 'a drift far below the level from before is a new event, reported',
      before: open('drift', 1, ['spike', 'drift'], 0), sample: judged('drift', -1, HIGH, 0, 80), reported: true, joined: null,
      relatedKinds: [], after: { ...open('drift', -1, ['drift'], 10), toLevel: 80 },
    },
    {
      name: 'a drop back after a one-sample spike is not a recovery (the level never moved)',
      before: open('spike', 1, ['spike'], 3), sample: judged('drift', -1, HIGH, 0, 100), reported: true, joined: null,
      relatedKinds: ['spike'], after: { ...open('drift', -1, ['spike', 'drift'], 10), toLevel: 100 },
    },
    {
      name: 'a drift the same way after the period is the move lasting: joined, not reported, a new period from there',
      before: open('drift', 1, ['spike', 'drift'], 0), sample: judged('drift', 1, HIGH, 0, 114), reported: false, joined: 'drift',
      relatedKinds: [], after: { ...open('drift', 1, ['spike', 'drift'], 10), toLevel: 114 },
    },
    {
      name: 'a drift the same way that went on by more than the move again is a new change, reported',
      before: open('drift', 1, ['spike', 'drift'], 0), sample: judged('drift', 1, HIGH, 0, 125), reported: true, joined: null,
      relatedKinds: [], after: { ...open('drift', 1, ['drift'], 10), toLevel: 125 },
    },
    {
      name: 'a drift the same way three periods after the incident ran out is a new change, reported',
      before: { ...open('drift', 1, ['spike', 'drift'], 0), quiet: 30 }, sample: judged('drift', 1, HIGH, 0, 112), reported: true,
      joined: null, relatedKinds: [], after: open('drift', 1, ['drift'], 10),
    },
    {
      name: 'a remembered move counts the samples since its period ran out',
      before: { ...open('drift', 1, ['spike', 'drift'], 0), quiet: 7 }, sample: judged('spike', 1, LOW), reported: false, joined: null,
      relatedKinds: [], after: { ...open('drift', 1, ['spike', 'drift'], 0), quiet: 8 },
    },
    {
      name: 'a ramp that goes on during the period moves the incident\'s level with it, still suppressed',
      before: open('drift', 1, ['spike', 'drift'], 5), sample: judged('drift', 1, HIGH, 0, 118), reported: false, joined: null,
      relatedKinds: [], after: { ...open('drift', 1, ['spike', 'drift'], 4), toLevel: 118 },
    },
    {
      name: 'after it closed, a drift opens a new incident',
      before: IDLE, sample: judged('drift', 1), reported: true, joined: null, relatedKinds: [], after: open('drift', 1, ['drift'], 10),
    },
  ])('$name', ({ before, sample, reported, joined, relatedKinds, after, recovered = false }) => {
    const gated = applyRefractory(before, sample, config);
    expect(gated.recovered).toBe(recovered);
    expect(gated.score >= config.threshold).toBe(reported);
    expect(gated.joined).toBe(joined);
    expect(gated.relatedKinds).toEqual(relatedKinds);
    expect(gated.refractory).toEqual(after);
  });

  it('never takes the way back for a recovery again: a level moved from and to alike has nothing to return to', () => {
    const back = applyRefractory(open('drift', 1, ['spike', 'drift'], 0), judged('drift', -1, HIGH, 0, 101), config).refractory;
    const later = applyRefractory({ ...back, remaining: 0 }, judged('drift', 1, HIGH, 0, 112), config);
    expect(later.recovered).toBe(false);
    expect(later.score).toBeGreaterThanOrEqual(config.threshold);
  });

  it('keeps a suppressed score below the threshold and ordered', () => {
    const a = applyRefractory(open('spike', 1), judged('spike', 1, 0.95), config).score;
    const b = applyRefractory(open('spike', 1), judged('spike', 1, 0.8), config).score;
    expect(a).toBeLessThan(config.threshold);
    expect(a).toBeGreaterThan(b);
  });
});
