/** The console's event store: dedupe, time order, bounds, and an incident's links and health. */
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../../console/src/event';
import { createEventStore, OPEN_WINDOW_MS } from '../../console/src/event-store';

let n = 0;
function event(kind: ProjectedEvent['kind'], atMs: number, record: Record<string, unknown>, assetId: string | null = 'a1'): ProjectedEvent {
  return { id: `t:0:${n++}`, kind, tenant: 'acme', atMs, assetId, assetIds: assetId ? [assetId] : [], jobId: null, severity: kind === 'anomaly' ? 0.9 : null, summary: kind, record };
}

describe('the console\'s event store', () => {
  it('keeps one copy of an event seen twice (history and live stream overlap) and notifies once per change', () => {
    const store = createEventStore();
    let notified = 0;
    store.subscribe(() => notified++);
    const e = event('anomaly', 10, { anomalyId: 'x' });
    store.add([e]);
    store.add([e]);
    expect(store.ofKind('anomaly')).toEqual([e]);
    expect(notified).toBe(1);
  });

  it('orders a kind by time whatever the arrival order (history comes newest first, the stream oldest first)', () => {
    const store = createEventStore();
    store.add([event('anomaly', 30, {}), event('anomaly', 10, {})]);
    store.add([event('anomaly', 20, {}), event('anomaly', 40, {})]);
    expect(store.ofKind('anomaly').map((e) => e.atMs)).toEqual([10, 20, 30, 40]);
  });

  it('drops the oldest events of a kind past its bound, keeping the newest, and says from when it holds them all', () => {
    const store = createEventStore(100);
    expect(store.completeAfter('anomaly')).toBe(-Infinity);
    for (let i = 0; i < 1_000; i++) store.add([event('anomaly', i, {})]);
    const kept = store.ofKind('anomaly');
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.length).toBeLessThanOrEqual(125);
    // Exactly the newest ones, none missing in between.
    expect(kept.map((e) => e.atMs)).toEqual(Array.from({ length: kept.length }, (_, i) => 1_000 - kept.length + i));
    expect(store.completeAfter('anomaly')).toBe(kept[0]!.atMs - 1);
    expect(store.completeAfter('action')).toBe(-Infinity);
  });

  it('keeps the healer\'s audit records alone, so the others\' far more numerous ones never push them out', () => {
    const store = createEventStore(100);
    const decision = event('audit', 1, { kind: 'healing.decision', service: 'healer', detailsJson: JSON.stringify({ anomalyId: 'an1' }) });
    store.add([decision]);
    for (let i = 0; i < 1_000; i++) store.add([event('audit', 2 + i, { kind: 'optimization.recommendation', service: 'optimizer' }), event('audit', 2 + i, { kind: 'protocol.call', service: 'gateway' })]);
    expect(store.ofKind('audit')).toEqual([decision]);
    expect(store.auditAbout('an1')).toEqual([decision]);
    expect(store.completeAfter('audit')).toBe(-Infinity);
  });

  it('records where a history that stopped at its bound starts, only ever later, and tells the views', () => {
    const store = createEventStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.setHistoryStart('audit', 500);
    store.setHistoryStart('audit', 300);
    expect(store.completeAfter('audit')).toBe(500);
    expect(notified).toBe(1);
    store.setHistoryStart('audit', 700);
    expect([store.completeAfter('audit'), notified]).toEqual([700, 2]);
  });

  it('forgets trimmed events in its per-asset and per-incident indexes too, so a long session stays bounded', () => {
    const store = createEventStore(100);
    for (let i = 0; i < 1_000; i++) {
      store.add([
        event('anomaly', i, { anomalyId: `an${i}` }),
        event('action', i, { anomalyId: `an${i}`, actionId: `ac${i}` }),
        event('result', i, { actionId: `ac${i}`, status: 'failed' }),
        event('audit', i, { kind: 'healing.decision', detailsJson: JSON.stringify({ anomalyId: `an${i}` }) }),
      ]);
    }
    const kept = store.ofKind('anomaly');
    expect(store.anomaliesOf('a1')).toHaveLength(kept.length);
    expect(store.anomaliesOf('a1').map((e) => e.atMs)).toEqual(kept.map((e) => e.atMs));
    // The oldest incident is forgotten whole; the newest is whole.
    expect([store.actionsOf('an0'), store.resultsOf('ac0'), store.auditAbout('an0')]).toEqual([[], [], []]);
    expect([store.actionsOf('an999'), store.resultsOf('ac999'), store.auditAbout('an999')].map((l) => l.length)).toEqual([1, 1, 1]);
  });

  it('does not take back an event trimmed away when it is delivered again older than everything kept', () => {
    const store = createEventStore(100);
    for (let i = 1; i <= 200; i++) store.add([event('anomaly', 1_000 + i, { anomalyId: `an${i}` })]);
    const late = event('anomaly', 5, { anomalyId: 'old' });
    for (let i = 0; i < 30; i++) store.add([event('anomaly', 2_000 + i, { anomalyId: `more${i}` })]);
    store.add([late]);
    expect(store.ofKind('anomaly').length).toBeLessThanOrEqual(125);
    expect(store.anomaliesOf('a1').length).toBe(store.ofKind('anomaly').length);
  });

  it('keeps an asset\'s latest asset event, not a late-arriving older one', () => {
    const store = createEventStore();
    store.add([event('asset', 20, { assetId: 'a1', change: 'removed' }), event('asset', 10, { assetId: 'a1', change: 'added' })]);
    expect(store.assets().get('a1')!.record.change).toBe('removed');
    expect(store.health('a1', 30)).toBe('removed');
  });

  it('links an anomaly to its actions and their results; it is open until an action succeeds, and not past the window', () => {
    const store = createEventStore();
    const now = 1_000_000;
    store.add([event('asset', now - 100, { assetId: 'a1', change: 'added' }), event('anomaly', now - 50, { anomalyId: 'an1' })]);
    expect(store.health('a1', now)).toBe('degraded');
    store.add([event('action', now - 40, { anomalyId: 'an1', actionId: 'ac1' }), event('result', now - 30, { actionId: 'ac1', status: 'failed' })]);
    expect(store.actionsOf('an1')).toHaveLength(1);
    expect(store.resultsOf('ac1')).toHaveLength(1);
    expect(store.openAnomalies('a1', now)).toHaveLength(1);
    store.add([event('result', now - 20, { actionId: 'ac1', status: 'succeeded' })]);
    expect(store.health('a1', now)).toBe('healthy');

    store.add([event('anomaly', now - 10, { anomalyId: 'an2' })]);
    expect(store.health('a1', now)).toBe('degraded');
    expect(store.health('a1', now + OPEN_WINDOW_MS)).toBe('healthy');
  });

  it('says health is unknown, not degraded, when its open anomalies are all older than the actions it holds', () => {
    const store = createEventStore();
    const now = 1_000_000;
    store.add([event('asset', now - 100, { assetId: 'a1', change: 'added' }), event('anomaly', now - 60, { anomalyId: 'old' })]);
    expect(store.health('a1', now)).toBe('degraded');
    // The actions' history stopped at its bound at now - 40: an action on the old anomaly may be older.
    store.setHistoryStart('action', now - 40);
    expect(store.health('a1', now)).toBe('unknown');
    // An anomaly the actions reach, with no action known, is open for certain.
    store.add([event('anomaly', now - 30, { anomalyId: 'new' })]);
    expect(store.health('a1', now)).toBe('degraded');
  });

  it('says health is unknown, not healthy or degraded, while the history it is told from did not load', () => {
    const store = createEventStore();
    const now = 1_000_000;
    store.add([event('asset', now - 100, { assetId: 'a1', change: 'added' }), event('asset', now - 100, { assetId: 'gone', change: 'removed' }, 'gone')]);
    let notified = 0;
    store.subscribe(() => notified++);
    store.setUnloaded(new Set(['anomaly']));
    expect(notified).toBe(1);
    expect(store.loaded('anomaly')).toBe(false);
    expect(store.loaded('action')).toBe(true);
    expect(store.health('a1', now)).toBe('unknown');
    expect(store.health('gone', now)).toBe('removed');
    // An anomaly heard of live since is open, as far as the actions (loaded) say.
    store.add([event('anomaly', now - 50, { anomalyId: 'an1' })]);
    expect(store.health('a1', now)).toBe('degraded');
    // Without the actions it may have been resolved.
    store.setUnloaded(new Set(['action', 'result']));
    expect(store.health('a1', now)).toBe('unknown');
    // Loaded again (a retry answered): the same word is not a change.
    store.setUnloaded(new Set());
    store.setUnloaded(new Set());
    expect(store.health('a1', now)).toBe('degraded');
    expect(notified).toBe(4);
  });

  it('finds the healer\'s audit records about an anomaly and its actions by the ids in their details, and no other records', () => {
    const store = createEventStore();
    const decision = event('audit', 5, { kind: 'healing.decision', subjectId: 'a1', detailsJson: JSON.stringify({ anomalyId: 'an1', outcome: 'execute' }) });
    const result = event('audit', 6, { kind: 'healing.result', subjectId: 'a1', detailsJson: JSON.stringify({ actionId: 'ac1', status: 'failed' }) });
    const other = event('audit', 7, { kind: 'telemetry.refused', subjectId: 'a1', detailsJson: JSON.stringify({ anomalyId: 'an1' }) });
    const garbled = event('audit', 8, { kind: 'healing.decision', subjectId: 'a1', detailsJson: '{not json' });
    store.add([decision, result, other, garbled]);
    expect(store.auditAbout('an1')).toEqual([decision]);
    expect(store.auditAbout('ac1')).toEqual([result]);
    expect(store.auditAbout('nope')).toEqual([]);
  });
});
