import { describe, expect, it } from 'vitest';
import { parseStg, scheduleStg } from '../../src/domain/stg';
import { buildCsr } from '../../src/domain/topology';
import { verifySchedule } from '../../src/domain/verify';

// Four real tasks: 1 and 2 independent, 3 after 1 and 2, 4 after 1. Dummies 0 and 5.
const TINY = `4
   0   0   0
   1   3   1   0
   2   2   1   0
   3   4   2   1   2
   4   1   1   1
   5   0   2   3   4
# CP Length : 7
`;

describe('parseStg', () => {
  it('parses tasks and drops the dummy entry and exit', () => {
    expect(parseStg(TINY)).toEqual({ taskCount: 4, times: [3, 2, 4, 1], preds: [[], [], [1, 2], [1]] });
  });

  it.each([
    { name: 'bad count', text: 'x\n' },
    { name: 'missing lines', text: '4\n 0 0 0\n' },
    { name: 'predecessor not smaller', text: '1\n0 0 0\n1 5 1 1\n2 0 1 1\n' },
    { name: 'predecessor count mismatch', text: '1\n0 0 0\n1 5 2 0\n2 0 1 1\n' },
  ])('reports malformed input: $name', ({ text }) => {
    expect(parseStg(text)).toHaveProperty('error');
  });
});

describe('scheduleStg', () => {
  it.each([
    { processors: 1, makespan: 10 },
    { processors: 2, makespan: 7 },
    { processors: 4, makespan: 7 },
  ])('schedules the tiny graph optimally on $processors processor(s)', ({ processors, makespan }) => {
    const g = parseStg(TINY);
    if ('error' in g) throw new Error(g.error);
    const out = scheduleStg(g, processors);
    expect(out.makespan).toBe(makespan);
    expect(out.schedule.map((s) => s.task)).toEqual([1, 2, 3, 4]);
    const from: number[] = [];
    const to: number[] = [];
    g.preds.forEach((ps, i) => ps.forEach((q) => { from.push(q - 1); to.push(i); }));
    const [predOffsets, predIndex] = buildCsr(g.taskCount, to, from);
    const placements = { executor: out.schedule.map((s) => s.processor), start: out.schedule.map((s) => s.start) };
    expect(verifySchedule({ predOffsets, predIndex }, g.times, placements, processors, 0)).toEqual([]);
  });
});
