/**
 * The goal graph, the executors that can run its steps, and the charter that bounds a plan.
 * Plain readonly data: everything the planner decides is a function of these values and `now`.
 */

/** A step's id, unique within its goal. */
export type StepId = string;

/** What an executor must offer to run a step. */
export interface Requirements {
  /** Every one of these must be among the executor's capabilities. */
  readonly capabilities: readonly string[];
  /** Minimum executor trust in [0, 1]. */
  readonly minTrust: number;
}

/** How often a failed step may run again, and how long to wait first. */
export interface RetryPolicy {
  /** Total attempts including the first one. */
  readonly maxAttempts: number;
  readonly backoffMs: number;
}

/**
 * A step to run when its parent fails (saga-style).
 * - `replace`: the compensation takes the failed step's place; the failed step is not retried and
 *   its dependents wait for the compensation instead.
 * - `before-retry`: the compensation undoes the partial effects, then the failed step is retried
 *   (if its retry policy allows); its dependents still wait for the retried step.
 */
export interface CompensationSpec {
  /** @default `${parentId}:compensate` */
  readonly id?: StepId;
  readonly name: string;
  readonly durationMs: number;
  readonly cost: number;
  readonly tokens?: number;
  readonly requirements: Requirements;
  /** @default 'replace' */
  readonly mode?: 'replace' | 'before-retry';
}

/** One unit of work in a goal. */
export interface Step {
  readonly id: StepId;
  readonly name: string;
  /** Estimated duration on an executor of speed 1. */
  readonly durationMs: number;
  /** Fixed cost of the step whoever runs it (materials, API spend); executors add time-based cost. */
  readonly cost: number;
  /** Estimated tokens consumed, counted against the charter's token budget. @default 0 */
  readonly tokens?: number;
  readonly requirements: Requirements;
  readonly compensation?: CompensationSpec;
  readonly retry?: RetryPolicy;
}

/** `to` may start only after `from` has finished. */
export interface Dependency {
  readonly from: StepId;
  readonly to: StepId;
}

/** A goal refined into steps and the dependencies between them. */
export interface Goal {
  readonly steps: readonly Step[];
  readonly dependencies: readonly Dependency[];
}

/** Something that runs steps, one at a time. Model a pool of N slots as N executors. */
export interface Executor {
  readonly id: string;
  /** Duration on this executor = step estimate / speed. Must be > 0. */
  readonly speed: number;
  /** Cost charged per millisecond of work on this executor. */
  readonly costPerMs: number;
  /** In [0, 1]. */
  readonly trust: number;
  readonly capabilities: readonly string[];
}

/** The bounds a plan must respect. */
export interface Charter {
  /** Milliseconds from the start of the plan; `Infinity` for none. */
  readonly deadlineMs: number;
  readonly budget: { readonly cost: number; readonly tokens: number };
  /** Executor ids the charter allows; undefined allows every executor. */
  readonly allowedExecutors?: readonly string[];
  /** A floor on executor trust for every step, on top of each step's own requirement. */
  readonly minTrust: number;
}

/** Duration of a step on an executor: the estimate scaled by the executor's speed. */
export function durationOn(step: Pick<Step, 'durationMs'>, executor: Executor): number {
  return step.durationMs / executor.speed;
}

/** Cost of a step on an executor: the step's fixed cost plus the executor's time-based charge. */
export function costOn(step: Pick<Step, 'durationMs' | 'cost'>, executor: Executor): number {
  return step.cost + executor.costPerMs * durationOn(step, executor);
}

/** The edge key used by diffs and de-duplication. */
export function edgeKey(edge: Dependency): string {
  return `${edge.from}->${edge.to}`;
}
