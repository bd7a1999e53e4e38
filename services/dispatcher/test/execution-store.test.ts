import { describe, expect, it } from 'vitest';
import { topics } from '@maestro/contracts';
import { createKeyspace } from '@maestro/state';
import { executionGoalKey, executionKey, executionReplayEntry, executionWrite, type CharterExecutions, type GoalExecution } from '../src/execution-store';
import type { ExecutionState } from '../src/domain';

const keys = createKeyspace('t.');
const goal = (goalId: string, status: ExecutionState['status'] = 'running'): GoalExecution => ({ goalId, version: 1, replans: 0, state: { status } as ExecutionState });
const charter = (executions: GoalExecution[], loaded: GoalExecution[] = []): CharterExecutions => ({
  revision: 4, charterId: 'ch-1', tenant: 'acme', updatedAtMs: 9, charter: { deadlineMs: 1, budget: { cost: 1, tokens: 1 }, minTrust: 0 }, executors: [], executions, loaded: new Set(loaded),
});

describe('executionWrite', () => {
  it('writes the charter record and only the goal records that changed since they were loaded', () => {
    const [a, b] = [goal('g-a'), goal('g-b')];
    const changedB = { ...b, replans: 1 };
    const { commit, batches } = executionWrite(keys, 3, charter([a, changedB], [a, b]), 1_000);
    expect(commit!.guard).toEqual({ key: executionKey(keys, 'acme/ch-1'), expectedRevision: 3 });
    expect(commit!.writes.map((w) => w.key)).toEqual([executionGoalKey(keys, 'acme/ch-1', 'g-b'), executionKey(keys, 'acme/ch-1')]);
    expect(commit!.index).toEqual({ key: expect.any(String), member: 'acme/ch-1', score: 1_000 });
    expect(batches![0]!.spec).toBe(topics.executions);
    expect(batches![0]!.records.map((r) => [r.key, (r.value as { goalId: string | null }).goalId])).toEqual([['acme/ch-1/g-b', 'g-b'], ['acme/ch-1', null]]);
  });

  it('writes every goal of a charter read in the old inline layout (nothing loaded from goal records)', () => {
    const { commit } = executionWrite(keys, 3, { ...charter([goal('g-a'), goal('g-b')]), loaded: undefined }, null);
    expect(commit!.writes).toHaveLength(3);
  });

  it('starts each record with its revision before any nested value, as the commit script reads it', () => {
    const { commit } = executionWrite(keys, 3, charter([goal('g-a')]), null);
    for (const { json } of commit!.writes) expect(json).toMatch(/^\{"kind":"[a-z_]+","revision":4,/);
    // The charter record lists the goals with their status, and holds no execution itself.
    expect(JSON.parse(commit!.writes.at(-1)!.json)).toMatchObject({ goals: [{ goalId: 'g-a', version: 1, status: 'running' }] });
    expect(commit!.writes.at(-1)!.json).not.toContain('"state"');
  });
});

describe('executionReplayEntry', () => {
  it('restores a goal record and a charter record to their scoped keys, whatever the topic key', () => {
    const entry = executionReplayEntry(keys);
    const base = { charterId: 'ch-1', tenant: 'acme', revision: 4, running: 1, completed: 0, updatedAtMs: 9, stateJson: '{}' };
    expect(entry({ ...base, goalId: 'g-a' })).toEqual({ key: executionGoalKey(keys, 'acme/ch-1', 'g-a'), json: '{}', revision: 4, id: 'acme/ch-1' });
    expect(entry({ ...base, goalId: null })).toEqual({ key: executionKey(keys, 'acme/ch-1'), json: '{}', revision: 4, id: 'acme/ch-1' });
  });
});
