import { describe, expect, it } from 'vitest';
import { createStallTracker, type PartitionRef } from '../src';

function setup(stallAfterMs = 1_000) {
  let clock = 10_000;
  const gauge = new Map<string, number>();
  const tracker = createStallTracker({
    stallAfterMs, now: () => clock,
    gauge: { set: (labels, value) => void gauge.set(`${labels.topic}/${labels.partition}`, value) },
  });
  return { tracker, gauge, advance: (ms: number) => void (clock += ms), at: () => clock };
}

const p0: PartitionRef = { topic: 'pfx.telemetry.raw', catalogName: 'telemetry.raw', partition: 0 };
const p1: PartitionRef = { ...p0, partition: 1 };

describe('partition stalls', () => {
  it('counts the same records failing from their first failure, and reports them once past the bound', () => {
    const { tracker, gauge, advance, at } = setup();
    const since = at();
    expect(tracker.failed(p0, '5', 'TransientError: away')).toBe(1);
    advance(600);
    expect(tracker.failed(p0, '5', 'TransientError: still away')).toBe(2);
    expect(tracker.stalled()).toEqual([]);
    expect(gauge.get('telemetry.raw/0')).toBe(0);
    advance(400);
    expect(tracker.failed(p0, '5', 'TransientError: still away')).toBe(3);
    expect(tracker.stalled()).toEqual([{ topic: 'pfx.telemetry.raw', partition: 0, offset: '5', sinceMs: since, attempts: 3, error: 'TransientError: still away' }]);
    expect(gauge.get('telemetry.raw/0')).toBe(1);
  });

  it('starts counting again when the failure moves to a later offset (part of the batch was handled)', () => {
    const { tracker, advance } = setup();
    tracker.failed(p0, '5', 'e');
    advance(900);
    expect(tracker.failed(p0, '8', 'e')).toBe(1);
    advance(900);
    expect(tracker.stalled()).toEqual([]);
  });

  it('clears a partition once a batch is handled to its end, gauge included', () => {
    const { tracker, gauge, advance } = setup();
    tracker.failed(p0, '5', 'e');
    advance(2_000);
    tracker.failed(p0, '5', 'e');
    tracker.recovered(p0);
    expect(tracker.stalled()).toEqual([]);
    expect(gauge.get('telemetry.raw/0')).toBe(0);
  });

  it('reports a handler that has not returned past the bound, and refresh sets its gauge without any other event', () => {
    const { tracker, gauge, advance } = setup();
    tracker.started(p1, '42');
    advance(999);
    tracker.refresh();
    expect(gauge.get('telemetry.raw/1')).toBe(0);
    advance(1);
    tracker.refresh();
    expect(gauge.get('telemetry.raw/1')).toBe(1);
    expect(tracker.stalled()).toMatchObject([{ partition: 1, offset: '42', error: 'the handler has not returned' }]);
    tracker.finished(p1);
    expect(tracker.stalled()).toEqual([]);
  });

  it('lists a failing partition once while its retry runs, dated from the first failure', () => {
    const { tracker, advance, at } = setup();
    const since = at();
    tracker.failed(p0, '5', 'e');
    advance(1_500);
    tracker.started(p0, '5');
    expect(tracker.stalled()).toEqual([expect.objectContaining({ partition: 0, sinceMs: since, error: 'e' })]);
  });

  it('forgets the partitions the group gave to another member', () => {
    const { tracker, gauge, advance } = setup();
    tracker.failed(p0, '5', 'e');
    tracker.failed(p1, '7', 'e');
    advance(2_000);
    tracker.keepOnly({ 'pfx.telemetry.raw': [1] });
    expect(tracker.stalled().map((s) => s.partition)).toEqual([1]);
    expect(gauge.get('telemetry.raw/0')).toBe(0);
  });
});
