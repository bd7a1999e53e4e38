/**
 * Which executors may run which step: the charter must allow the executor, the executor must hold
 * every capability the step needs, and its trust must reach both the step's and the charter's floor.
 */
import type { Charter, Executor, Requirements, StepId } from './graph';
import type { MissingPremise, Refusal } from './refusal';
import { fmt } from './refusal';

/** Per-step executor indices (into the executors array), and steps nobody can run. */
export interface Eligibility {
  readonly executorsOf: readonly (readonly number[])[];
  readonly missing: readonly MissingPremise[];
}

interface Requiring {
  readonly id: StepId;
  readonly requirements: Requirements;
}

/** Checks every step against every allowed executor: O(steps × executors × capabilities). */
export function computeEligibility(steps: readonly Requiring[], executors: readonly Executor[], charter: Charter): Eligibility {
  const allowedIds = charter.allowedExecutors ? new Set(charter.allowedExecutors) : null;
  const allowed = executors.map((e, i) => ({ e, i })).filter(({ e }) => !allowedIds || allowedIds.has(e.id));
  const capabilitySets = new Map(allowed.map(({ e }) => [e.id, new Set(e.capabilities)]));
  const executorsOf: number[][] = [];
  const missing: MissingPremise[] = [];
  for (const step of steps) {
    const minTrust = Math.max(step.requirements.minTrust, charter.minTrust);
    const meets = ({ e }: { e: Executor }): boolean => e.trust >= minTrust && step.requirements.capabilities.every((c) => capabilitySets.get(e.id)!.has(c));
    const ok = allowed.filter(meets).map(({ i }) => i);
    executorsOf.push(ok);
    // Reasons are built only for steps nobody can run: the common path stays allocation-light.
    if (ok.length === 0) {
      const rejections = allowed.map(({ e }) => {
        const caps = capabilitySets.get(e.id)!;
        const lacking = step.requirements.capabilities.filter((c) => !caps.has(c));
        const lacks: string[] = [];
        if (lacking.length > 0) lacks.push(`capabilities [${lacking.join(', ')}]`);
        if (e.trust < minTrust) lacks.push(`trust ${fmt(e.trust)} < ${fmt(minTrust)}`);
        return { executorId: e.id, lacks: lacks.join(' and ') };
      });
      missing.push({ stepId: step.id, capabilities: step.requirements.capabilities, minTrust, rejections });
    }
  }
  return { executorsOf, missing };
}

/** Names each step nobody can run, what it needs, and what each allowed executor lacks. */
export function missingPremiseRefusal(missing: readonly MissingPremise[], allowedCount: number): Refusal {
  const reasons = missing.map((m) => {
    const needs = `needs capabilities [${m.capabilities.join(', ')}] and trust >= ${fmt(m.minTrust)}`;
    // Long executor lists make unreadable reasons; the details keep all of them.
    const shown = m.rejections.slice(0, 5).map((r) => `${r.executorId} lacks ${r.lacks}`);
    const more = m.rejections.length > 5 ? `; and ${m.rejections.length - 5} more` : '';
    const none = allowedCount === 0 ? '; no executor is allowed' : '';
    return `step '${m.stepId}' ${needs}, which none of the ${allowedCount} allowed executor(s) meets: ${shown.join('; ')}${more}${none}`;
  });
  return { code: 'missing_premise', reasons, details: { steps: missing } };
}
