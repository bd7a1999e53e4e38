/** A goal's plan as the console charts it: layers of the dependency graph, Gantt bars with live statuses. */
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../../console/src/event';
import { committedVersion, layersOf, planChart } from '../../console/src/plan-chart';

const event = (kind: 'plan' | 'execution', state: unknown): ProjectedEvent => ({
  id: `${kind}:0:1`, kind, tenant: 'acme', atMs: 1, assetId: null, assetIds: [], jobId: null, severity: null, summary: '', record: { stateJson: JSON.stringify(state) },
});

const plan = { assignments: [{ stepId: 'fetch', executorId: 'w1', startMs: 0, finishMs: 2_000 }, { stepId: 'summarise', executorId: 'w2', startMs: 2_000, finishMs: 4_000 }, { stepId: 'publish', executorId: 'w1', startMs: 4_000, finishMs: 5_000 }], makespanMs: 5_000 };
const version = event('plan', {
  goalId: 'g', version: 2,
  goal: { steps: [{ id: 'fetch' }, { id: 'summarise' }, { id: 'publish' }], dependencies: [{ from: 'fetch', to: 'summarise' }, { from: 'summarise', to: 'publish' }] },
  plan,
});

describe('the console\'s plan chart', () => {
  it('puts each step one layer below its latest prerequisite, sources first', () => {
    expect(layersOf(['a', 'b', 'c', 'd'], [{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }, { from: 'a', to: 'd' }, { from: 'c', to: 'd' }])).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('leaves out the steps of a cycle rather than looping, and ignores edges to unknown steps', () => {
    expect(layersOf(['a', 'b', 'c'], [{ from: 'b', to: 'c' }, { from: 'c', to: 'b' }, { from: 'a', to: 'zz' }])).toEqual([['a']]);
  });

  it('lays out a 1,000-step chain in one pass', () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => `s${i}`);
    const layers = layersOf(ids, ids.slice(1).map((id, i) => ({ from: ids[i]!, to: id })));
    expect(layers).toHaveLength(1_000);
    expect(layers[999]).toEqual(['s999']);
  });

  it('marks bars planned before execution, then with the dispatcher\'s status of each step (pending when it has none)', () => {
    expect(planChart(version, undefined)!.bars.map((b) => b.status)).toEqual(['planned', 'planned', 'planned']);
    const run = event('execution', { goalId: 'g', state: { plan, steps: [{ stepId: 'fetch', status: 'succeeded' }, { stepId: 'summarise', status: 'leased' }] } });
    const chart = planChart(version, run)!;
    expect(chart).toMatchObject({ goalId: 'g', version: 2, makespanMs: 5_000, layers: [['fetch'], ['summarise'], ['publish']] });
    expect(chart.bars.map((b) => [b.stepId, b.status])).toEqual([['fetch', 'succeeded'], ['summarise', 'leased'], ['publish', 'pending']]);
  });

  it('draws the dispatcher\'s current schedule after a re-plan moved it', () => {
    const moved = { ...plan, assignments: plan.assignments.map((a) => ({ ...a, startMs: a.startMs + 1_000, finishMs: a.finishMs + 1_000 })), makespanMs: 6_000 };
    const chart = planChart(version, event('execution', { goalId: 'g', state: { plan: moved, steps: [] } }))!;
    expect(chart.bars[0]).toMatchObject({ startMs: 1_000, finishMs: 3_000 });
    expect(chart.makespanMs).toBe(6_000);
  });

  it('has no chart when the state was omitted by the projector or is not JSON', () => {
    expect(planChart({ ...version, record: { stateJson: null, stateOmitted: 'over 65536 characters' } }, undefined)).toBeNull();
    expect(planChart({ ...version, record: { stateJson: '{cut' } }, undefined)).toBeNull();
  });

  it('reads a goal\'s committed version from its charter\'s record (null when not committed or the state was cut)', () => {
    const charter = event('plan', { goals: [{ goalId: 'g', committedVersion: 2 }, { goalId: 'h', committedVersion: null }] });
    expect(committedVersion(charter, 'g')).toBe(2);
    expect(committedVersion(charter, 'h')).toBeNull();
    expect(committedVersion(charter, 'nope')).toBeNull();
    expect(committedVersion({ ...charter, record: { stateJson: null } }, 'g')).toBeNull();
    expect(committedVersion(undefined, 'g')).toBeNull();
  });
});
