/**
 * `graph.diff`: what changed between two versions of a goal — steps added, removed and changed
 * (field by field, old → new), and dependencies added and removed.
 */
import type { Dependency, Goal, Step, StepId } from './graph';
import { edgeKey } from './graph';

/** One field of a step that differs. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** Differences between two goal versions; ids in the order of the version they come from. */
export interface GoalDiff {
  readonly addedSteps: readonly StepId[];
  readonly removedSteps: readonly StepId[];
  readonly changedSteps: readonly { readonly stepId: StepId; readonly changes: readonly FieldChange[] }[];
  readonly addedEdges: readonly Dependency[];
  readonly removedEdges: readonly Dependency[];
  /** True when nothing differs. */
  readonly unchanged: boolean;
}

/** Compares two versions of a goal. Linear in steps and edges. */
export function diffGoals(before: Goal, after: Goal): GoalDiff {
  const old = new Map(before.steps.map((s) => [s.id, s]));
  const next = new Map(after.steps.map((s) => [s.id, s]));
  const addedSteps = after.steps.filter((s) => !old.has(s.id)).map((s) => s.id);
  const removedSteps = before.steps.filter((s) => !next.has(s.id)).map((s) => s.id);
  const changedSteps = after.steps.flatMap((s) => {
    const prior = old.get(s.id);
    const changes = prior ? stepChanges(prior, s) : [];
    return changes.length > 0 ? [{ stepId: s.id, changes }] : [];
  });
  const oldEdges = new Set(before.dependencies.map(edgeKey));
  const newEdges = new Set(after.dependencies.map(edgeKey));
  const addedEdges = uniqueEdges(after.dependencies.filter((e) => !oldEdges.has(edgeKey(e))));
  const removedEdges = uniqueEdges(before.dependencies.filter((e) => !newEdges.has(edgeKey(e))));
  const unchanged = addedSteps.length + removedSteps.length + changedSteps.length + addedEdges.length + removedEdges.length === 0;
  return { addedSteps, removedSteps, changedSteps, addedEdges, removedEdges, unchanged };
}

/** Fields compared, with defaults applied so that `tokens: 0` and a missing `tokens` are equal. */
function comparable(s: Step): Record<string, unknown> {
  return {
    name: s.name,
    durationMs: s.durationMs,
    cost: s.cost,
    tokens: s.tokens ?? 0,
    'requirements.capabilities': [...s.requirements.capabilities].sort(),
    'requirements.minTrust': s.requirements.minTrust,
    compensation: s.compensation ?? null,
    retry: s.retry ?? null,
  };
}

function stepChanges(before: Step, after: Step): FieldChange[] {
  const a = comparable(before);
  const b = comparable(after);
  return Object.keys(a)
    .filter((field) => canonical(a[field]) !== canonical(b[field]))
    .map((field) => ({ field, from: a[field], to: b[field] }));
}

/** JSON with object keys sorted, so key order never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : v);
}

function uniqueEdges(edges: readonly Dependency[]): Dependency[] {
  const seen = new Set<string>();
  return edges.filter((e) => !seen.has(edgeKey(e)) && seen.add(edgeKey(e)) !== undefined);
}
