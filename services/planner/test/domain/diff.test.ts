import { describe, expect, it } from 'vitest';
import { diffGoals } from '../../src/domain/diff';
import type { Goal } from '../../src/domain/graph';
import { edges, step } from './fixtures';

const V1: Goal = { steps: [step('a', 10), step('b', 20, { cost: 3 }), step('c', 5)], dependencies: edges('a->b', 'b->c') };

describe('diffGoals', () => {
  it('reports added, removed and changed steps and edges', () => {
    const v2: Goal = {
      steps: [step('a', 10), step('b', 25, { cost: 3, requirements: { capabilities: ['gpu'], minTrust: 0 } }), step('d', 1)],
      dependencies: edges('a->b', 'b->d', 'a->d'),
    };
    const d = diffGoals(V1, v2);
    expect(d.addedSteps).toEqual(['d']);
    expect(d.removedSteps).toEqual(['c']);
    expect(d.changedSteps).toEqual([{ stepId: 'b', changes: [
      { field: 'durationMs', from: 20, to: 25 },
      { field: 'requirements.capabilities', from: [], to: ['gpu'] },
    ] }]);
    expect(d.addedEdges).toEqual(edges('b->d', 'a->d'));
    expect(d.removedEdges).toEqual(edges('b->c'));
    expect(d.unchanged).toBe(false);
  });

  it.each([
    { name: 'identical', after: V1 },
    { name: 'reordered steps and edges', after: { steps: [...V1.steps].reverse(), dependencies: [...V1.dependencies].reverse() } },
    { name: 'tokens 0 vs absent', after: { ...V1, steps: V1.steps.map((s) => ({ ...s, tokens: 0 })) } },
  ])('finds no change: $name', ({ after }) => {
    expect(diffGoals(V1, after).unchanged).toBe(true);
  });

  it('reports compensation and retry policy changes', () => {
    const comp = { name: 'undo', durationMs: 1, cost: 0, requirements: { capabilities: [], minTrust: 0 } };
    const v2: Goal = { ...V1, steps: V1.steps.map((s) => (s.id === 'a' ? { ...s, compensation: comp, retry: { maxAttempts: 3, backoffMs: 100 } } : s)) };
    const fields = diffGoals(V1, v2).changedSteps[0]!.changes.map((c) => c.field);
    expect(fields).toEqual(['compensation', 'retry']);
  });
});
