import { describe, expect, it } from 'vitest';
import { analyseGoal, compileGoal } from '../../src/domain/analysis';
import type { Goal } from '../../src/domain/graph';
import { edges, step } from './fixtures';

// A(3) -> B(2) -> D(1) and A -> C(4) -> D: the critical path is A, C, D (8 ms); B has 2 ms of slack.
const DIAMOND: Goal = { steps: [step('A', 3), step('B', 2), step('C', 4), step('D', 1)], dependencies: edges('A->B', 'A->C', 'B->D', 'C->D') };

describe('compileGoal', () => {
  it.each([
    { name: 'self loop', deps: ['a->a'], cycle: ['a'] },
    { name: 'two-cycle', deps: ['a->b', 'b->a'], cycle: ['a', 'b'] },
    { name: 'three-cycle behind a tail', deps: ['x->a', 'a->b', 'b->c', 'c->a'], cycle: ['a', 'b', 'c'] },
  ])('names the cycle: $name', ({ deps, cycle }) => {
    const ids = [...new Set(deps.flatMap((d) => d.split('->')))];
    const out = compileGoal({ steps: ids.map((id) => step(id, 1)), dependencies: edges(...deps) });
    expect(out.ok).toBe(false);
    if (out.ok || out.refusal.code !== 'cycle') throw new Error('expected a cycle refusal');
    // The cycle may be reported from any rotation; normalise to start at its smallest id.
    const got = out.refusal.details.cycle;
    const k = got.indexOf([...got].sort()[0]!);
    expect([...got.slice(k), ...got.slice(0, k)]).toEqual(cycle);
    expect(out.refusal.reasons[0]).toContain(`${cycle.join(' -> ')} -> ${cycle[0]}`);
  });

  it('refuses unknown dependencies, naming the unknown step and the edge', () => {
    const out = compileGoal({ steps: [step('a', 1)], dependencies: edges('a->ghost') });
    if (out.ok) throw new Error('expected a refusal');
    expect(out.refusal.code).toBe('unknown_dependency');
    expect(out.refusal.details).toEqual({ edges: [{ from: 'a', to: 'ghost', unknown: 'ghost' }] });
    expect(out.refusal.reasons[0]).toContain("'ghost'");
  });

  it('refuses duplicate step ids', () => {
    const out = compileGoal({ steps: [step('a', 1), step('a', 2)], dependencies: [] });
    expect(out.ok ? null : out.refusal.code).toBe('duplicate_step');
  });
});

describe('analyseGoal', () => {
  it('orders topologically, keeping declaration order among independent steps', () => {
    const goal: Goal = { steps: [step('d', 1), step('c', 1), step('b', 1), step('a', 1)], dependencies: edges('b->d', 'a->c') };
    const out = analyseGoal(goal);
    if (!out.ok) throw new Error(out.refusal.reasons.join());
    expect(out.plan.order).toEqual(['b', 'a', 'd', 'c']);
  });

  it.each([
    { id: 'A', es: 0, ef: 3, ls: 0, lf: 3, slack: 0, bottom: 8 },
    { id: 'B', es: 3, ef: 5, ls: 5, lf: 7, slack: 2, bottom: 3 },
    { id: 'C', es: 3, ef: 7, ls: 3, lf: 7, slack: 0, bottom: 5 },
    { id: 'D', es: 7, ef: 8, ls: 7, lf: 8, slack: 0, bottom: 1 },
  ])('times the diamond by hand: $id', ({ id, es, ef, ls, lf, slack, bottom }) => {
    const out = analyseGoal(DIAMOND);
    if (!out.ok) throw new Error('refused');
    const t = out.plan.timings.find((x) => x.stepId === id)!;
    expect([t.earliestStartMs, t.earliestFinishMs, t.latestStartMs, t.latestFinishMs, t.slackMs, t.bottomLevelMs]).toEqual([es, ef, ls, lf, slack, bottom]);
    expect(t.critical).toBe(slack === 0);
  });

  it('finds the critical path and its length', () => {
    const out = analyseGoal(DIAMOND);
    if (!out.ok) throw new Error('refused');
    expect(out.plan.criticalPath).toEqual(['A', 'C', 'D']);
    expect(out.plan.criticalPathMs).toBe(8);
  });

  it('handles an empty goal and a 10,000-step chain without recursion limits', () => {
    const empty = analyseGoal({ steps: [], dependencies: [] });
    expect(empty.ok && empty.plan.criticalPathMs).toBe(0);
    const n = 10_000;
    const chain: Goal = { steps: Array.from({ length: n }, (_, i) => step(`s${i}`, 1)), dependencies: Array.from({ length: n - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })) };
    const out = analyseGoal(chain);
    expect(out.ok && out.plan.criticalPath.length).toBe(n);
    const cyclic = compileGoal({ ...chain, dependencies: [...chain.dependencies, { from: `s${n - 1}`, to: 's0' }] });
    expect(!cyclic.ok && cyclic.refusal.code === 'cycle' && cyclic.refusal.details.cycle.length).toBe(n);
  });
});
