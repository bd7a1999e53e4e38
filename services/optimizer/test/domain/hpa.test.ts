import { describe, expect, it } from 'vitest';
import type { CustomSignal, DesiredPoint, ScaleEvent } from '../../src/domain';
import { hpaDesired, inWindow, rateBounds, resolveOptimizerConfig, scaleInPause, signalRatios, stabilise } from '../../src/domain';

const cfg = resolveOptimizerConfig();
const ratios = (saturation: number, replicas = 4, queueDepth = 0, signals: CustomSignal[] = []) => signalRatios({ saturation, queueDepth, replicas, signals }, cfg);

describe('HPA rule: desired = ceil(current × observed / target), tolerance 10 %', () => {
  it.each([
    { name: '1.5× target', current: 4, r: ratios(0.9), want: 6 },
    { name: 'inside the band above', current: 4, r: ratios(0.65), want: 4 },
    { name: 'inside the band below', current: 4, r: ratios(0.55), want: 4 },
    { name: 'just outside the band', current: 10, r: ratios(0.672), want: 12 },
    { name: 'half target halves', current: 4, r: ratios(0.3), want: 2 },
    { name: 'idle floors at one', current: 8, r: ratios(0), want: 1 },
    { name: 'float noise does not add a replica (10 × 1.2)', current: 10, r: ratios(0.72), want: 12 },
    { name: 'queue depth per replica drives when larger', current: 4, r: ratios(0.6, 4, 120), want: 12 },
    { name: 'custom signal, full weight', current: 4, r: ratios(0.6, 4, 0, [{ name: 'ext-queue', value: 20, target: 10, weight: 1 }]), want: 8 },
    { name: 'custom signal, half weight pulls half', current: 4, r: ratios(0.6, 4, 0, [{ name: 'ext-queue', value: 30, target: 10, weight: 0.5 }]), want: 8 },
    { name: 'custom signal, zero weight is recorded only', current: 4, r: ratios(0.6, 4, 0, [{ name: 'energy', value: 900, target: 100, weight: 0 }]), want: 4 },
    { name: 'scale-in needs every signal low', current: 4, r: ratios(0.1, 4, 0, [{ name: 'ext-queue', value: 10, target: 10, weight: 1 }]), want: 4 },
  ])('$name → $want', ({ current, r, want }) => {
    expect(hpaDesired(current, r, cfg.tolerance).replicas).toBe(want);
  });

  it('names the signal that drove the decision', () => {
    expect(hpaDesired(4, ratios(0.6, 4, 120), cfg.tolerance).driver).toBe('queueDepth');
  });

  it('a tighter down tolerance (cost pressure) lets a shallow dip scale in', () => {
    const r = ratios(0.55, 20); // 0.917× target: inside 10 %, outside 5 %
    expect(hpaDesired(20, r, 0.1).replicas).toBe(20);
    expect(hpaDesired(20, r, 0.1, 0.05).replicas).toBe(19);
  });
});

describe('stabilisation windows, in time', () => {
  const now = 1_000_000;
  const windowed = resolveOptimizerConfig({ scaleUpStabilizationMs: 60_000 });
  const pts = (xs: [number, number][]): DesiredPoint[] => xs.map(([agoMs, replicas]) => ({ atMs: now - agoMs, replicas, ratio: 1 }));
  it.each([
    { name: 'one spike: min over the up window stays at current', h: pts([[40_000, 4], [20_000, 4], [0, 9]]), want: 4 },
    { name: 'sustained: every point above → min of them', h: pts([[40_000, 7], [20_000, 6], [0, 9]]), want: 6 },
    { name: 'a slow cadence: the newest sample alone covers the window', h: pts([[120_000, 4], [0, 9]]), want: 9 },
    { name: 'dip: max over the down window holds', h: pts([[290_000, 4], [100_000, 4], [0, 1]]), want: 4 },
    { name: 'sustained low over the whole down window', h: pts([[290_000, 2], [100_000, 3], [0, 1]]), want: 3 },
  ])('$name', ({ h, want }) => {
    expect(stabilise(h, 4, now - 400_000, now, windowed).replicas).toBe(want);
  });

  it('no scale-in before a whole down window has been observed', () => {
    const h = pts([[100_000, 1], [50_000, 1], [0, 1]]);
    expect(stabilise(h, 4, now - 100_000, now, cfg).replicas).toBe(4);
    expect(stabilise(h, 4, now - 300_000, now, cfg).replicas).toBe(1);
  });

  // What set the ceiling is what the scale-in rationale names (issue 11: it named the long window
  // when the forecast had set the count).
  it.each([
    { name: 'no forecast count: the long window', newest: { replicas: 4 }, extra: [], c: {}, want: { downCeiling: 10, downSource: 'window' } },
    { name: 'the band top at target', newest: { replicas: 4, hold: 5 }, extra: [], c: {}, want: { downCeiling: 5, downSource: 'forecast' } },
    { name: 'a higher count in the short window', newest: { replicas: 4, hold: 5 }, extra: [{ atMs: now - 30_000, replicas: 7, ratio: 1 }], c: {}, want: { downCeiling: 7, downSource: 'recent' } },
  ])('scale-down ceiling from $name', ({ newest, extra, c, want }) => {
    const h: DesiredPoint[] = [
      { atMs: now - 290_000, replicas: 10, ratio: 1 }, { atMs: now - 200_000, replicas: 9, ratio: 1 }, { atMs: now - 100_000, replicas: 8, ratio: 1 },
      ...extra, { atMs: now, ratio: 1, ...newest },
    ];
    expect(stabilise(h, 10, now - 400_000, now, resolveOptimizerConfig(c))).toMatchObject({ ...want, downWindowMax: 10, replicas: want.downCeiling });
  });

  // Issue 11: on real EC2 CPU wandering ±10 % over tens of minutes, scale-ins landed at the trough of
  // the wander and the next crest scaled out again (591 changes against the HPA rule's 334).
  it('on a smooth series a forecast scale-in lands where the window\'s largest need is inside its scale-out edge', () => {
    const wander = (largestNeed: number): DesiredPoint[] => [
      { atMs: now - 290_000, replicas: 13, need: largestNeed, ratio: 1 }, { atMs: now - 150_000, replicas: 12, need: 11.5, ratio: 1 },
      { atMs: now, replicas: 11, need: 10.6, hold: 11, ratio: 1 },
    ];
    // 12.5 needs ceil(12.5 / 1.1) = 12, whose scale-out edge 13.2 holds it; at 11 the edge is 12.1.
    expect(stabilise(wander(12.5), 13, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 12, downSource: 'forecast' });
    // Noisy samples: the window's largest need is their noise, and the forecast's count stands.
    expect(stabilise(wander(12.5), 13, now - 400_000, now, cfg, false)).toMatchObject({ replicas: 11, downSource: 'forecast' });
    // More than two tolerance bands above the forecast's count (11 × 1.1² = 13.31): a fall, not a wander.
    expect(stabilise(wander(13.4), 13, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 11, downSource: 'forecast' });
    // A few replicas: two bands above 3 are 3.63, one replica above is 4; a wander to 3.9 lands at 4.
    const small: DesiredPoint[] = [
      { atMs: now - 290_000, replicas: 5, need: 3.9, ratio: 1 }, { atMs: now, replicas: 3, need: 2.8, hold: 3, ratio: 1 },
    ];
    expect(stabilise(small, 6, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 4, downSource: 'forecast' });
    // Lifted above the current count (ceil(13.3 / 1.1) = 13 > 12): nothing for the forecast to scale in.
    expect(stabilise(wander(13.3), 12, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 12, downSource: 'window' });
  });

  // Issue 11: a real traffic speed stepping between two levels (needs 6.8 and 7.7 at 7-8 replicas) was
  // followed down at each step and back up at the next: 210 changes against the HPA rule's 147.
  it('below ten replicas a smooth series\' forecast scale-in holds the window\'s largest need rounded up, as the HPA rule\'s window max does', () => {
    const steps = (largestNeed: number): DesiredPoint[] => [
      { atMs: now - 290_000, replicas: 8, need: largestNeed, ratio: 1 }, { atMs: now - 150_000, replicas: 8, need: 7.05, ratio: 1 },
      { atMs: now, replicas: 7, need: 6.8, hold: 7, ratio: 1 },
    ];
    // 7.6 is inside 7's scale-out edge (7.7), but needs 8: one replica less is a step the HPA rule takes only once no need is above 7.
    expect(stabilise(steps(7.6), 8, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 8 });
    expect(stabilise(steps(7.05), 8, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 8 });
    // Once the window's needs are all at or below 7, the forecast's count stands.
    const settled: DesiredPoint[] = [
      { atMs: now - 290_000, replicas: 8, need: 7, ratio: 1 }, { atMs: now, replicas: 7, need: 6.8, hold: 7, ratio: 1 },
    ];
    expect(stabilise(settled, 8, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 7, downSource: 'forecast' });
    // Noisy samples: the window's largest need is their noise, and the forecast's count stands at any count.
    expect(stabilise(steps(7.6), 8, now - 400_000, now, cfg, false)).toMatchObject({ replicas: 7, downSource: 'forecast' });
    // From ten replicas on, one replica is within the tolerance, and the lift stops at the scale-out edge (13.2 holds 12.5).
    const larger: DesiredPoint[] = [
      { atMs: now - 290_000, replicas: 13, need: 12.5, ratio: 1 }, { atMs: now, replicas: 11, need: 10.6, hold: 11, ratio: 1 },
    ];
    expect(stabilise(larger, 13, now - 400_000, now, cfg, true)).toMatchObject({ replicas: 12, downSource: 'forecast' });
  });

  // Issue 11: a falling load was followed down a step at every sample (EC2 network-in 257a54 at 30 s,
  // 7.2 scale-ins per fall against the HPA rule's 5.7).
  it('for one horizon after a scale-in, the forecast takes the count no lower than the count last asked for', () => {
    const events = (xs: [number, number, number][]): ScaleEvent[] => xs.map(([agoMs, from, to]) => ({ atMs: now - agoMs, from, to }));
    expect(scaleInPause([], 70_000)).toBeNull();
    expect(scaleInPause(events([[20_000, 4, 8]]), 70_000)).toBeNull(); // scale-outs do not wait
    expect(scaleInPause(events([[50_000, 10, 8], [20_000, 12, 11]]), 70_000)).toEqual({ untilMs: now - 20_000 + 70_000, floor: 11, belowUsual: false });
    // The latest change's target is the floor, whichever way it went.
    expect(scaleInPause(events([[50_000, 10, 8], [20_000, 8, 9]]), 70_000)).toEqual({ untilMs: now - 50_000 + 70_000, floor: 9, belowUsual: false });
    // Below the load's usual level the wait is one and a half horizons.
    expect(scaleInPause(events([[50_000, 10, 8]]), 70_000, true)).toEqual({ untilMs: now - 50_000 + 105_000, floor: 8, belowUsual: true });

    const h: DesiredPoint[] = [
      { atMs: now - 290_000, replicas: 10, ratio: 1 }, { atMs: now - 100_000, replicas: 9, ratio: 1 }, { atMs: now, replicas: 4, hold: 5, ratio: 1 },
    ];
    const pause = scaleInPause(events([[30_000, 10, 8]]), 70_000);
    expect(stabilise(h, 8, now - 400_000, now, cfg, false, pause)).toMatchObject({ replicas: 8, downCeiling: 8, downSource: 'pause', forecastPause: { untilMs: now + 40_000, floor: 8, belowUsual: false } });
    // Once the horizon has passed, the forecast's count.
    expect(stabilise(h, 8, now - 400_000, now + 40_000, cfg, false, pause)).toMatchObject({ replicas: 5, downSource: 'forecast', forecastPause: null });
    // Below the usual level the count asked for still stands then, for half a horizon more.
    const longer = scaleInPause(events([[30_000, 10, 8]]), 70_000, true);
    expect(stabilise(h, 8, now - 400_000, now + 40_000, cfg, false, longer)).toMatchObject({ replicas: 8, downSource: 'pause', forecastPause: { untilMs: now + 75_000, floor: 8, belowUsual: true } });
    expect(stabilise(h, 8, now - 400_000, now + 75_000, cfg, false, longer)).toMatchObject({ replicas: 5, downSource: 'forecast', forecastPause: null });
    // The long window's max still scales in while the forecast waits: the HPA rule's own scale-in.
    const fallen: DesiredPoint[] = [{ atMs: now - 290_000, replicas: 6, ratio: 1 }, { atMs: now, replicas: 4, hold: 5, ratio: 1 }];
    expect(stabilise(fallen, 8, now - 400_000, now, cfg, false, pause)).toMatchObject({ replicas: 6, downSource: 'window' });
    // While an actuator lags behind the scale-in (still 10 running), the count asked for stands.
    expect(stabilise(h, 10, now - 400_000, now, cfg, false, pause)).toMatchObject({ replicas: 8, downSource: 'pause' });
  });

  it('inWindow keeps the points inside the window, else the newest', () => {
    const h = pts([[200_000, 1], [90_000, 2], [30_000, 3]]);
    expect(inWindow(h, now, 60_000).map((p) => p.replicas)).toEqual([3]);
    expect(inWindow(h, now, 10_000).map((p) => p.replicas)).toEqual([3]);
    expect(inWindow(h, now, 100_000).map((p) => p.replicas)).toEqual([2, 3]);
    expect(inWindow([], now, 60_000)).toEqual([]);
  });
});

describe('rate limits per direction', () => {
  const now = 1_000_000;
  const ev = (agoMs: number, from: number, to: number): ScaleEvent => ({ atMs: now - agoMs, from, to });
  it.each([
    { name: 'up: larger of +100 % and +4 pods (small)', current: 2, events: [], want: { min: 1, max: 6 } },
    { name: 'up: larger of +100 % and +4 pods (large)', current: 10, events: [], want: { min: 5, max: 20 } },
    { name: 'up budget counted from the period start', current: 4, events: [ev(30_000, 2, 4)], want: { min: 2, max: 6 } },
    { name: 'old events do not count', current: 4, events: [ev(90_000, 2, 4)], want: { min: 2, max: 8 } },
    { name: 'down: 50 % of the period start, even while the actuator lags', current: 10, events: [ev(10_000, 10, 5)], want: { min: 5, max: 20 } },
    { name: 'down after a completed halving: no further room this period', current: 5, events: [ev(10_000, 10, 5)], want: { min: 5, max: 10 } },
  ])('$name', ({ current, events, want }) => {
    // The mechanics of the limits, at a 50 %-per-minute scale-down limit (the default is the Kubernetes
    // one, 100 % per 15 s, which leaves nothing for the down rows to show).
    expect(rateBounds(current, events, now, resolveOptimizerConfig({ scaleUpPeriodMs: 60_000, scaleDownMaxPercent: 0.5, scaleDownPeriodMs: 60_000 }))).toEqual(want);
  });
});
