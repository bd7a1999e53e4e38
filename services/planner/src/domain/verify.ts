/**
 * An independent schedule checker: recomputes finishes from durations and checks precedence and
 * that no executor runs two tasks at once. It shares no code with the schedulers, so a scheduler
 * bug cannot hide behind a matching checker bug.
 */

/** The placement of every task, by index. */
export interface Placements {
  readonly executor: ArrayLike<number>;
  readonly start: ArrayLike<number>;
}

/** Predecessor lists in CSR form. */
export interface Precedence {
  readonly predOffsets: ArrayLike<number>;
  readonly predIndex: ArrayLike<number>;
}

/**
 * Returns every violation found (empty when the schedule is valid): a task starting before a
 * predecessor finishes, two tasks of positive length overlapping on one executor, an executor
 * index out of range, a negative or non-finite start. Durations are those the task has on its
 * executor; `tolerance` absorbs floating-point rounding of fractional durations.
 */
export function verifySchedule(
  precedence: Precedence,
  durations: ArrayLike<number>,
  placements: Placements,
  executorCount: number,
  tolerance = 1e-9,
): string[] {
  const n = durations.length;
  const violations: string[] = [];
  const finish = (i: number): number => placements.start[i]! + durations[i]!;
  for (let i = 0; i < n; i++) {
    const e = placements.executor[i]!;
    const s = placements.start[i]!;
    if (!Number.isInteger(e) || e < 0 || e >= executorCount) violations.push(`task ${i} on executor ${e}, outside 0..${executorCount - 1}`);
    if (!Number.isFinite(s) || s < -tolerance) violations.push(`task ${i} starts at ${s}`);
    for (let k = precedence.predOffsets[i]!; k < precedence.predOffsets[i + 1]!; k++) {
      const q = precedence.predIndex[k]!;
      if (s < finish(q) - tolerance) violations.push(`task ${i} starts at ${s} before predecessor ${q} finishes at ${finish(q)}`);
    }
  }
  const byExecutor = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (durations[i]! <= 0) continue; // zero-length tasks occupy no time
    const e = placements.executor[i]!;
    const list = byExecutor.get(e) ?? [];
    list.push(i);
    byExecutor.set(e, list);
  }
  for (const [e, tasks] of byExecutor) {
    tasks.sort((a, b) => placements.start[a]! - placements.start[b]!);
    for (let k = 1; k < tasks.length; k++) {
      const a = tasks[k - 1]!;
      const b = tasks[k]!;
      if (placements.start[b]! < finish(a) - tolerance) {
        violations.push(`tasks ${a} [${placements.start[a]}, ${finish(a)}) and ${b} [${placements.start[b]}, ${finish(b)}) overlap on executor ${e}`);
      }
    }
  }
  return violations;
}
