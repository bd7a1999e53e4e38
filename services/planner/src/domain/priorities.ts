/**
 * Priority rules for list scheduling, all derived from the critical-path structure of the graph.
 * No single rule wins everywhere, so the search tries several and keeps the best schedule.
 */
import { computeTiming } from './critical-path';
import type { Priority } from './list-scheduler';
import type { SchedulingProblem } from './scheduling-problem';
import { representativeDurations } from './scheduling-problem';
import { topologicalOrder } from './topology';

/** A named priority rule. */
export interface PriorityRule {
  readonly name: string;
  readonly priority: Priority;
}

/**
 * - `bottom-level/successors`: CP/MISF (Kasahara & Narita): longest path to the exit, ties to the
 *   task with most immediate successors. With mean durations this is HEFT's upward rank.
 * - `path-through/bottom-level`: CPOP-like: the longest path through the task (top + bottom level),
 *   so whole critical chains go first.
 * - `bottom-level/successor-work`: ties to the task unlocking the most successor bottom level.
 * - `bottom-level/fastest`: bottom level from each task's fastest option, for heterogeneous pools
 *   where the mean is dragged by slow executors.
 */
export function priorityRules(p: SchedulingProblem, fixed?: Int32Array): PriorityRule[] {
  const { order, mean, successors } = meanTiming(p, fixed);
  const n = p.taskCount;
  const successorWork = new Float64Array(n);
  const pathThrough = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = p.succOffsets[i]!; k < p.succOffsets[i + 1]!; k++) successorWork[i]! += mean.bottomLevel[p.succIndex[k]!]!;
    pathThrough[i] = mean.earliestStart[i]! + mean.bottomLevel[i]!;
  }
  const rules: PriorityRule[] = [
    { name: 'bottom-level/successors', priority: { primary: mean.bottomLevel, secondary: successors } },
    { name: 'path-through/bottom-level', priority: { primary: pathThrough, secondary: mean.bottomLevel } },
    { name: 'bottom-level/successor-work', priority: { primary: mean.bottomLevel, secondary: successorWork } },
  ];
  if (!fixed && hasHeterogeneousOptions(p)) {
    const fastest = computeTiming(p, order, representativeDurations(p, 'min'));
    rules.push({ name: 'bottom-level/fastest', priority: { primary: fastest.bottomLevel, secondary: successors } });
  }
  return rules;
}

/**
 * The first rule alone (`bottom-level/successors`), for passes that take one priority (the budget
 * fit): the others cost a second timing pass, which on a shuffle stage of 55,000 edges is not free.
 */
export function bottomLevelSuccessors(p: SchedulingProblem): Priority {
  const { mean, successors } = meanTiming(p);
  return { primary: mean.bottomLevel, secondary: successors };
}

/** Timing by mean durations and each task's number of immediate successors: what every rule starts from. */
function meanTiming(p: SchedulingProblem, fixed?: Int32Array) {
  const order = topologicalOrder(p);
  if (!order) throw new Error('priority rules: the problem graph has a cycle');
  const mean = computeTiming(p, order, representativeDurations(p, 'mean', fixed));
  const successors = new Float64Array(p.taskCount);
  for (let i = 0; i < p.taskCount; i++) successors[i] = p.succOffsets[i + 1]! - p.succOffsets[i]!;
  return { order, mean, successors };
}

function hasHeterogeneousOptions(p: SchedulingProblem): boolean {
  for (let i = 0; i < p.taskCount; i++) {
    const lo = p.optionOffsets[i]!;
    for (let o = lo + 1; o < p.optionOffsets[i + 1]!; o++) if (p.optionDuration[o] !== p.optionDuration[lo]) return true;
  }
  return false;
}
