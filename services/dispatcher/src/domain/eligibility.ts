/**
 * Whether the executor asking for work may run a step: the charter must allow it, and it must hold
 * every capability the step needs with trust reaching both the step's and the charter's floor.
 * The same rule as the planner's `computeEligibility`, for one executor that is asking now.
 */
import type { Charter, Requirements } from '../../../planner/src/domain';

/** The executor asking for work, as it describes itself. */
export interface ExecutorProfile {
  readonly executorId: string;
  readonly executorCapabilities: readonly string[];
  readonly executorTrust: number;
}

/** True when the charter allows the executor at all. */
export function isAllowed(executorId: string, charter: Charter): boolean {
  return !charter.allowedExecutors || charter.allowedExecutors.includes(executorId);
}

/** What the executor lacks for these requirements; empty when it may run the step. */
export function lacksFor(requirements: Requirements, executor: ExecutorProfile, charter: Charter): string[] {
  const minTrust = Math.max(requirements.minTrust, charter.minTrust);
  const held = new Set(executor.executorCapabilities);
  const missing = requirements.capabilities.filter((c) => !held.has(c));
  const lacks: string[] = [];
  if (missing.length > 0) lacks.push(`capabilities [${missing.join(', ')}]`);
  if (!(executor.executorTrust >= minTrust)) lacks.push(`trust ${executor.executorTrust} < ${minTrust}`);
  return lacks;
}
