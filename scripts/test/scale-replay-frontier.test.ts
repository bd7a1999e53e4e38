import { describe, expect, it } from 'vitest';
import { atHours, hoursFor, paretoFront, settingGrid, type FrontierPoint } from '../scale-replay/frontier';

const point = (setting: number, replicaHours: number, unservedShare: number, changes = 100): FrontierPoint => ({ setting, replicaHours, unservedShare, changes });

// A reference whose target utilisation trades hours for lost demand: higher targets bill less and lose more.
const measured = [point(0.7, 300, 0.04, 80), point(0.5, 400, 0.01, 120), point(0.6, 340, 0.02, 100)];

describe('scale replay: the HPA rule\'s frontier', () => {
  describe('settingGrid', () => {
    it('names every setting from one end to the other, both included, without float error', () => {
      expect(settingGrid('0.45,0.5,0.01')).toEqual([0.45, 0.46, 0.47, 0.48, 0.49, 0.5]);
      expect(settingGrid('0.5,0.7,0.1')).toEqual([0.5, 0.6, 0.7]);
    });

    it.each(['0.7,0.5,0.01', '0,0.5,0.1', '0.5,1.2,0.1', '0.5,0.7,0', '0.5,0.7', 'a,b,c'])('refuses "%s"', (spec) => {
      expect(() => settingGrid(spec)).toThrow(RangeError);
    });
  });

  describe('paretoFront', () => {
    it('orders the settings by replica-hours, lost demand falling along it', () => {
      expect(paretoFront(measured).map((p) => p.setting)).toEqual([0.7, 0.6, 0.5]);
    });

    it('drops a setting another beats on both axes, and a duplicate', () => {
      const dominated = point(0.65, 350, 0.03);
      const duplicate = point(0.61, 340, 0.02);
      expect(paretoFront([...measured, dominated, duplicate]).map((p) => p.setting)).toEqual([0.7, 0.6, 0.5]);
    });

    it('drops a costlier setting that loses no less', () => {
      expect(paretoFront([point(0.6, 340, 0.02), point(0.58, 350, 0.02)]).map((p) => p.setting)).toEqual([0.6]);
    });

    it('is empty without points', () => {
      expect(paretoFront([])).toEqual([]);
    });
  });

  describe('atHours: what the reference loses when it bills as many hours', () => {
    const front = paretoFront(measured);

    it('reads a measured setting as it is', () => {
      expect(atHours(front, 340)).toEqual(point(0.6, 340, 0.02, 100));
    });

    it('interpolates between the two settings around the hours', () => {
      const r = atHours(front, 320)!;
      expect(r.unservedShare).toBeCloseTo(0.03, 12);
      expect(r.setting).toBeCloseTo(0.65, 12);
      expect(r.changes).toBeCloseTo(90, 12);
      expect(r.replicaHours).toBe(320);
    });

    it('past a setting that loses nothing reads that setting: more hours buy nothing', () => {
      const lossless = paretoFront([point(0.7, 300, 0.01), point(0.6, 340, 0), point(0.5, 400, 0)]);
      expect(atHours(lossless, 500)).toMatchObject({ setting: 0.6, unservedShare: 0 });
    });

    it('says nothing outside the span measured', () => {
      expect(atHours(front, 299)).toBeNull();
      expect(atHours(front, 401)).toBeNull();
      expect(atHours([], 340)).toBeNull();
    });
  });

  describe('hoursFor: the fewest hours at which the reference loses no more', () => {
    const front = paretoFront(measured);

    it('interpolates the hours where the frontier comes down to the lost demand', () => {
      const r = hoursFor(front, 0.015)!;
      expect(r.replicaHours).toBeCloseTo(370, 9);
      expect(r.setting).toBeCloseTo(0.55, 9);
      expect(r.atEdge).toBe(false);
    });

    it('is exact at a measured setting', () => {
      expect(hoursFor(front, 0.02)).toMatchObject({ replicaHours: 340, atEdge: false });
    });

    it('flags the cheapest setting as an upper bound when it already loses no more', () => {
      expect(hoursFor(front, 0.05)).toMatchObject({ replicaHours: 300, setting: 0.7, atEdge: true });
    });

    it('is null when even the most generous setting loses more', () => {
      expect(hoursFor(front, 0.005)).toBeNull();
      expect(hoursFor([], 0.02)).toBeNull();
    });

    it('finds no loss at all where a setting loses nothing', () => {
      const lossless = paretoFront([point(0.7, 300, 0.01), point(0.6, 340, 0)]);
      expect(hoursFor(lossless, 0)).toMatchObject({ replicaHours: 340, atEdge: false });
    });
  });
});
