/** What the Incidents view tells of an anomaly: its state, and why nothing can be told when the console's lists do not reach it. */
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../../console/src/event';
import { createEventStore } from '../../console/src/event-store';
import { decisionsOf, decisionUnknown, stateOf } from '../../console/src/incident-state';

let n = 0;
function event(kind: ProjectedEvent['kind'], atMs: number, record: Record<string, unknown>): ProjectedEvent {
  return { id: `t:0:${n++}`, kind, tenant: 'acme', atMs, assetId: 'a1', assetIds: ['a1'], jobId: null, severity: null, summary: kind, record };
}
const decision = (atMs: number, about: Record<string, string>, outcome = 'suppressed_cooldown') =>
  event('audit', atMs, { kind: 'healing.decision', service: 'healer', outcome, detailsJson: JSON.stringify(about) });

/** The view's reading of one anomaly from the store, as incidentRows does it. */
function read(store: ReturnType<typeof createEventStore>, anomaly: ProjectedEvent) {
  const anomalyId = String(anomaly.record['anomalyId']);
  const actions = store.actionsOf(anomalyId);
  const results = actions.flatMap((a) => store.resultsOf(String(a.record['actionId'])));
  const decisions = actions.length > 0 ? [] : decisionsOf(store, anomalyId, actions);
  const unknown = decisionUnknown(store, anomaly, actions, decisions);
  return { state: stateOf(actions, results, decisions, unknown !== null), unknown };
}

describe('an incident\'s state', () => {
  it('is the decision not to act, the action\'s progress, or undecided when the lists reach back to it', () => {
    const store = createEventStore();
    const suppressed = event('anomaly', 100, { anomalyId: 'an1' });
    const healed = event('anomaly', 110, { anomalyId: 'an2' });
    const fresh = event('anomaly', 120, { anomalyId: 'an3' });
    store.add([suppressed, healed, fresh, decision(101, { anomalyId: 'an1' }), event('action', 111, { anomalyId: 'an2', actionId: 'ac2' }), event('result', 112, { actionId: 'ac2', status: 'succeeded' })]);
    expect([suppressed, healed, fresh].map((a) => read(store, a))).toEqual([
      { state: 'suppressed_cooldown', unknown: null }, { state: 'resolved', unknown: null }, { state: 'undecided', unknown: null },
    ]);
  });

  it('is unknown, not undecided, for an anomaly older than the actions or the healer\'s audit the console holds', () => {
    const store = createEventStore();
    const old = event('anomaly', 100, { anomalyId: 'old' });
    const recent = event('anomaly', 900, { anomalyId: 'recent' });
    store.add([old, recent]);
    // The audit's history stopped at its bound with a record at 500: the old anomaly's decision may be older.
    store.setHistoryStart('audit', 500);
    expect(read(store, old)).toEqual({ state: 'unknown', unknown: expect.stringMatching(/^it is older than the newest of GET \/v1\/audit the console holds/) });
    expect(read(store, recent)).toEqual({ state: 'undecided', unknown: null });
    // An anomaly at the bound's own instant is not known whole either (others at that instant may be missing).
    expect(read(store, event('anomaly', 500, { anomalyId: 'edge' })).state).toBe('unknown');
    store.setHistoryStart('action', 600);
    expect(read(store, old).unknown).toMatch(/GET \/v1\/actions and GET \/v1\/audit/);
  });

  it('is still told when what is known of it is within reach: a decision held, or an action', () => {
    const store = createEventStore();
    const decided = event('anomaly', 100, { anomalyId: 'an1' });
    const acted = event('anomaly', 100, { anomalyId: 'an2' });
    store.add([decided, acted, decision(101, { anomalyId: 'an1' }), event('action', 101, { anomalyId: 'an2', actionId: 'ac2' })]);
    store.setHistoryStart('audit', 500);
    // A decision held says what was decided; whether the healer also acted depends on the actions' reach.
    expect(read(store, decided)).toEqual({ state: 'suppressed_cooldown', unknown: null });
    expect(read(store, acted)).toEqual({ state: 'acting', unknown: null });
    store.setHistoryStart('action', 500);
    expect(read(store, decided)).toEqual({ state: 'unknown', unknown: expect.stringMatching(/GET \/v1\/actions the console holds/) });
  });

  it('says a list that did not load before it says a list does not reach back', () => {
    const store = createEventStore();
    const old = event('anomaly', 100, { anomalyId: 'old' });
    store.add([old]);
    store.setHistoryStart('audit', 500);
    store.setUnloaded(new Set(['action']));
    expect(read(store, old).unknown).toBe('GET /v1/actions did not load (see above)');
  });
});
