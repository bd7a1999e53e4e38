import { describe, expect, it } from 'vitest';
import type { HealthSignal } from '@maestro/telemetry';
import { EMPTY_STREAM_STATE, admitSample, resolveOrderingConfig } from '../../src/domain/index';
import type { Admission, AssetStreamState, OrderingRejection } from '../../src/domain/index';

const NOW = 1_700_000_000_000;
const config = resolveOrderingConfig({ lateToleranceMs: 1_000, recentCapacity: 4 });

const sample = (timestampMs: number, metrics: HealthSignal['metrics'] = { cpu: 0.5 }): HealthSignal => ({ timestampMs, assetId: 'svc-a', metrics, labels: {} });

/** Feeds timestamps (offsets from NOW) one by one, as ingest would, and returns every admission. */
function feed(offsets: readonly number[], nowMs = NOW, start: AssetStreamState = EMPTY_STREAM_STATE): { admissions: Admission[]; state: AssetStreamState } {
  let state = start;
  const admissions = offsets.map((offset) => {
    const admission = admitSample(state, sample(NOW + offset), nowMs, config);
    state = admission.state;
    return admission;
  });
  return { admissions, state };
}

const verdict = (admission: Admission): 'ok' | 'ooo' | OrderingRejection =>
  admission.admitted ? (admission.outOfOrder ? 'ooo' : 'ok') : admission.reason;

describe('admitSample', () => {
  it.each([
    { name: 'in order', offsets: [-300, -200, -100], expected: ['ok', 'ok', 'ok'] },
    { name: 'redelivered sample', offsets: [-300, -200, -300], expected: ['ok', 'ok', 'duplicate'] },
    { name: 'immediate double send', offsets: [-100, -100], expected: ['ok', 'duplicate'] },
    { name: 'late within tolerance', offsets: [-100, -900], expected: ['ok', 'ooo'] },
    { name: 'late exactly at tolerance', offsets: [-100, -1_100], expected: ['ok', 'ooo'] },
    { name: 'late beyond tolerance', offsets: [-100, -1_101], expected: ['ok', 'too_late'] },
    { name: 'out-of-order sample redelivered', offsets: [-100, -500, -500], expected: ['ok', 'ooo', 'duplicate'] },
    // Capacity 4: the fifth sample forgets -500, so the horizon refuses a replay of it even though
    // it is still within the late tolerance.
    { name: 'replay behind the dedupe horizon', offsets: [-500, -400, -300, -200, -100, -500], expected: ['ok', 'ok', 'ok', 'ok', 'ok', 'behind_dedupe_horizon'] },
    { name: 'new sample behind the dedupe horizon', offsets: [-500, -400, -300, -200, -100, -550], expected: ['ok', 'ok', 'ok', 'ok', 'ok', 'behind_dedupe_horizon'] },
  ])('$name', ({ offsets, expected }) => {
    expect(feed(offsets).admissions.map(verdict)).toEqual(expected);
  });

  it('never admits the same timestamp twice, whatever the order of delivery', () => {
    const offsets = [-50, -10, -30, -10, -20, -50, -40, -30, -60, -20, -70, -80, -10, -90];
    const admitted = feed(offsets).admissions.filter((a) => a.admitted).map((a) => (a.admitted ? a.signal.timestampMs : 0));
    expect(new Set(admitted).size).toBe(admitted.length);
  });

  it('publishes a sample ahead of the receiver clock at its own time, but keeps the lateness reference at now', () => {
    const { admissions, state } = feed([3_000]);
    const [first] = admissions;
    expect(first?.admitted && first.signal.timestampMs).toBe(NOW + 3_000);
    expect(first?.admitted && first.aheadOfReceiverMs).toBe(3_000);
    expect(state).toEqual({ lastAcceptedMs: NOW, recentMs: [NOW + 3_000], horizonMs: null });
  });

  it('keeps distinct future-stamped samples distinct (regression: a burst collapsed onto one instant)', () => {
    const { admissions } = feed([1_000, 1_020, 1_040]);
    expect(admissions.map((a) => (a.admitted ? a.signal.timestampMs : null))).toEqual([NOW + 1_000, NOW + 1_020, NOW + 1_040]);
  });

  it('does not let a fast producer clock make correct samples look late', () => {
    // Were lastAccepted NOW+3000, NOW-500 would be 3.5 s late (> 1 s).
    expect(feed([3_000, -500]).admissions.map(verdict)).toEqual(['ok', 'ooo']);
  });

  it('recognises a redelivered future-stamped sample although now has moved on', () => {
    const { state } = feed([3_000]);
    const again = admitSample(state, sample(NOW + 3_000), NOW + 2_000, config);
    expect(verdict(again)).toBe('duplicate');
  });

  it('passes metrics through without inventing the missing ones', () => {
    const admission = admitSample(EMPTY_STREAM_STATE, sample(NOW, { latency_ms: 4 }), NOW, config);
    expect(admission.admitted && admission.signal.metrics).toEqual({ latency_ms: 4 });
  });

  it('leaves the state untouched on refusal', () => {
    const { state } = feed([-100]);
    const refused = admitSample(state, sample(NOW - 100), NOW, config);
    expect(refused.state).toBe(state);
  });

  it('keeps the remembered timestamps bounded, sorted and within tolerance', () => {
    const offsets = Array.from({ length: 50 }, (_, i) => -5_000 + i * 97 - (i % 3) * 40);
    const { state } = feed(offsets);
    expect(state.recentMs.length).toBeLessThanOrEqual(config.recentCapacity);
    expect([...state.recentMs].sort((a, b) => a - b)).toEqual(state.recentMs);
    expect(Math.min(...state.recentMs)).toBeGreaterThanOrEqual((state.lastAcceptedMs ?? 0) - config.lateToleranceMs);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
