import { describe, expect, it } from 'vitest';
import { buildModeTable, cheapestModes, modeBottomLevels, modesOf, scheduleModes } from '../../src/domain/modes';
import type { TaskOption } from '../../src/domain/scheduling-problem';
import { buildProblem } from '../../src/domain/scheduling-problem';
import { buildCsr, topologicalOrder } from '../../src/domain/topology';
import { verifySchedule } from '../../src/domain/verify';

// Four executors: 0 and 1 slow and cheap, 2 and 3 fast and dear; task work 10, 20, 30, 40.
const kinds = (work: number): TaskOption[] => [
  { executor: 0, durationMs: work, cost: work }, { executor: 1, durationMs: work, cost: work },
  { executor: 2, durationMs: work / 2, cost: 3 * work }, { executor: 3, durationMs: work / 2, cost: 3 * work },
];
const edges: [number, number][] = [[0, 2], [1, 2], [2, 3]];
const [predOffsets, predIndex] = buildCsr(4, edges.map((e) => e[1]), edges.map((e) => e[0]));
const [succOffsets, succIndex] = buildCsr(4, edges.map((e) => e[0]), edges.map((e) => e[1]));
const P = buildProblem({ predOffsets, predIndex, succOffsets, succIndex }, 4, [10, 20, 30, 40].map(kinds));
const ORDER = topologicalOrder(P)!;
const T = buildModeTable(P);

describe('buildModeTable', () => {
  it('groups executors of equal duration and cost into one mode per task, cheapest first', () => {
    expect(Array.from(T.modeOffsets)).toEqual([0, 2, 4, 6, 8]);
    expect(Array.from(T.modeCost.slice(0, 2))).toEqual([10, 30]);
    expect(Array.from(T.modeDuration.slice(0, 2))).toEqual([10, 5]);
    const firstModeOptions = T.modeOptions.slice(T.modeOptionOffsets[0]!, T.modeOptionOffsets[1]!);
    expect(Array.from(firstModeOptions, (o) => P.optionExecutor[o])).toEqual([0, 1]);
  });
});

describe('scheduleModes', () => {
  it('keeps every task in its mode, picks the executor of that mode free first, and costs exactly the modes', () => {
    const modes = cheapestModes(T);
    const s = scheduleModes(P, T, modeBottomLevels(P, T, modes, ORDER), { modes });
    expect(Array.from(modesOf(T, s))).toEqual(Array.from(modes));
    expect(s.cost).toBe(100);
    // Tasks 0 and 1 run side by side on the two slow executors: 20 + 30 + 40.
    expect(s.makespan).toBe(90);
    expect(verifySchedule(P, Array.from(s.option, (o) => P.optionDuration[o]!), s, 4)).toEqual([]);
  });

  it('with sub-deadlines, gives each task the cheapest mode that still meets its own', () => {
    // Sub-deadlines that only the fast mode meets for task 3 and the slow mode meets for the rest.
    const subDeadlines = Float64Array.from([20, 20, 50, 70]);
    const s = scheduleModes(P, T, modeBottomLevels(P, T, cheapestModes(T), ORDER), { subDeadlines });
    expect(Array.from(s.option, (o) => P.optionDuration[o])).toEqual([10, 20, 30, 20]);
    expect(s.makespan).toBe(70);
  });
});
