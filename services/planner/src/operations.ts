/**
 * The planner's protocol operations: charter.declare, goal.refine, graph.commit, graph.diff,
 * graph.replan, query.goals and the service methods plan and replan. Each loads what it needs in
 * one MGET, decides with the pure core (./domain) and returns the reply with the state records to
 * produce; the protocol handler sends them together and then writes Redis.
 *
 * Payloads were validated by the gateway against schemas/maestro/v1; what a schema cannot check
 * (references, versions, tenants) is checked here.
 */
import { topics } from '@maestro/contracts';
import type { Keyspace } from '@maestro/state';
import type { Charter, Dependency, Executor, Goal, Plan, Progress, Replan } from './domain';
import { diffGoals, edgeKey, refine, replan } from './domain';
import { replanArguments, summarize } from '../../dispatcher/src/domain';
import { executionGoalKey, executionGoals, executionKey, parseGoalExecution, type ExecutionHead } from '../../dispatcher/src/execution-store';
import { goalAdmission } from './charter-maxima';
import { charterRecord, versionRecord, type CharterPolicies, type CharterState, type GoalSummary, type GoalVersionState, type PlanStore } from './plan-state';
import { charterScope, heldRefusal, heldStateKey, ok, refused, type Decision, type Operation } from '@maestro/protocol';
import type { ProtocolRequest } from '@maestro/contracts';

/** Goals per query.goals page unless the caller says otherwise (the schema carries no default). */
const DEFAULT_PAGE_SIZE = 20;

export interface PlannerDeps {
  store: PlanStore;
  keys: Keyspace;
  now(): number;
}

type GoalPayload = { goalId: string; intent?: string; expectedVersion?: number; steps: Goal['steps']; dependencies: Goal['dependencies'] };

/** The charter a request names: the caller's tenant's charter of that id (charter ids are per tenant). */
const scopeOfRequest = (request: ProtocolRequest): string => charterScope(request.tenant, request.charterId);

/** The answer for a charter the caller's tenant has not declared. */
function notFound(request: ProtocolRequest): Decision {
  return refused('not_found', [`charter '${request.charterId}' does not exist in tenant '${request.tenant}'`], { charterId: request.charterId, tenant: request.tenant });
}

function owned(charter: CharterState | null, request: ProtocolRequest): charter is CharterState {
  return charter !== null && charter.tenant === request.tenant;
}

function goalNotFound(request: ProtocolRequest, goalId: string): Decision {
  return refused('not_found', [`goal '${goalId}' does not exist under charter '${request.charterId}'`], { charterId: request.charterId, goalId });
}

function versionConflict(goalId: string, expectedVersion: number, currentVersion: number | null, what: string): Decision {
  return refused('version_conflict', [`goal '${goalId}' is at ${what} ${currentVersion ?? 'none'}, the call expected ${expectedVersion}`], { goalId, expectedVersion, currentVersion });
}

/**
 * Writes the charter's next state (one revision after the one the call loaded, however many steps
 * built it) and any new versions, with the reply.
 */
function write(store: PlanStore, previousRevision: number, built: CharterState, versions: readonly GoalVersionState[], result: unknown, committed: ReadonlySet<number> = new Set()): Decision {
  const charter = { ...built, revision: previousRevision + 1 };
  return ok(result, {
    commit: store.change(previousRevision, charter, versions),
    batches: [{ spec: topics.plans, records: [...versions.map((v) => versionRecord(v, committed.has(v.version))), charterRecord(charter)] }],
  });
}

function withGoal(charter: CharterState, summary: GoalSummary, nowMs: number): CharterState {
  const exists = charter.goals.some((g) => g.goalId === summary.goalId);
  return {
    ...charter, updatedAtMs: nowMs,
    goals: exists ? charter.goals.map((g) => (g.goalId === summary.goalId ? summary : g)) : [summary, ...charter.goals],
  };
}

/**
 * The refusal of a planner call that needs the dispatcher's record of a charter the dispatcher holds
 * (@maestro/protocol `heldRefusal`): `consequence` says what was not done and what to do.
 */
function refusedWhileDispatcherHolds(request: ProtocolRequest, heldText: string, consequence: string): Decision {
  const { reasons, details } = heldRefusal(heldText, `the dispatcher holds charter '${request.charterId}'`, () => consequence);
  return refused('state_unreadable', reasons, { service: 'dispatcher', ...details });
}

/** The goal's status for query.goals: from the planner's versions and the dispatcher's execution (as its charter record lists it). */
function statusOf(summary: GoalSummary, execution: ExecutionHead['goals'][number] | undefined): 'refined' | 'committed' | 'running' | 'completed' | 'failed' {
  if (summary.committedVersion === null) return 'refined';
  if (!execution || execution.version !== summary.committedVersion) return 'committed';
  if (execution.status === 'completed') return 'completed';
  if (execution.status === 'cancelled') return 'failed';
  return 'running';
}

/** The goal after a re-plan: kept steps (done or running) and the remainder, as the dispatcher applies it. */
function mergeReplan(goal: Goal, previous: Plan, result: Replan): { goal: Goal; plan: Plan } {
  const remainderIds = new Set(result.remainder.steps.map((s) => s.id));
  const replaced = new Set(result.compensations.filter((c) => c.mode === 'replace').map((c) => c.failed));
  const kept = goal.steps.filter((s) => !remainderIds.has(s.id) && !replaced.has(s.id));
  const keptIds = new Set(kept.map((s) => s.id));
  const seen = new Set<string>();
  const dependencies: Dependency[] = [
    ...goal.dependencies.filter((d) => keptIds.has(d.from) && (keptIds.has(d.to) || remainderIds.has(d.to))),
    ...result.remainder.dependencies,
  ].filter((d) => !seen.has(edgeKey(d)) && seen.add(edgeKey(d)) !== undefined);
  return {
    goal: { steps: [...kept, ...result.remainder.steps], dependencies },
    plan: { ...result.plan, assignments: [...previous.assignments.filter((a) => keptIds.has(a.stepId)), ...result.plan.assignments] },
  };
}

export function createPlannerOperations(deps: PlannerDeps): Record<string, Operation> {
  const { store, keys } = deps;

  /** goal.refine on a loaded charter: the next version, or a refusal with the planner's numbers. */
  function refineInto(charter: CharterState, p: GoalPayload, nowMs: number): Decision | { charter: CharterState; version: GoalVersionState; summary: GoalSummary } {
    const summary = charter.goals.find((g) => g.goalId === p.goalId);
    const current = summary?.latestVersion ?? 0;
    if (p.expectedVersion !== undefined && p.expectedVersion !== current) return versionConflict(p.goalId, p.expectedVersion, current, 'version');
    const { maxStepsPerGoal, maxOpenGoals } = charter.policies;
    if (maxStepsPerGoal !== undefined && p.steps.length > maxStepsPerGoal) {
      return refused('policy_denied', [`the goal has ${p.steps.length} steps; charter '${charter.charterId}' allows at most ${maxStepsPerGoal} per goal`], { steps: p.steps.length, maxStepsPerGoal });
    }
    if (!summary && maxOpenGoals !== undefined && charter.goals.length >= maxOpenGoals) {
      return refused('policy_denied', [`charter '${charter.charterId}' already has ${charter.goals.length} goals; its policy allows ${maxOpenGoals}`], { goals: charter.goals.length, maxOpenGoals });
    }
    const over = goalAdmission(charter.goals, p.goalId, p.steps.length);
    if (over) return refused('limit_exceeded', over.reasons, over.details);
    const goal: Goal = { steps: p.steps, dependencies: p.dependencies };
    const outcome = refine(goal, charter.executors, charter.charter);
    if (!outcome.ok) return refused(outcome.refusal.code, outcome.refusal.reasons, outcome.refusal.details);
    const version: GoalVersionState = {
      kind: 'goal_version', revision: 1, charterId: charter.charterId, tenant: charter.tenant, goalId: p.goalId, version: current + 1,
      origin: 'refine', atMs: nowMs, goal, plan: outcome.plan, replan: null,
    };
    const next: GoalSummary = {
      goalId: p.goalId, intent: p.intent ?? summary?.intent ?? null, latestVersion: current + 1,
      committedVersion: summary?.committedVersion ?? null, committedAtMs: summary?.committedAtMs ?? null,
      createdAtMs: summary?.createdAtMs ?? nowMs, updatedAtMs: nowMs,
      versions: [...(summary?.versions ?? []), { version: current + 1, origin: 'refine', atMs: nowMs, stepCount: goal.steps.length, makespanMs: outcome.plan.makespanMs, totalCost: outcome.plan.totalCost }],
    };
    return { charter: withGoal(charter, next, nowMs), version, summary: next };
  }

  const charterDeclare: Operation = async (request, payload) => {
    const p = payload as { tenant?: string; budget: Charter['budget']; deadlineMs: number; executors: Executor[]; allowedExecutors?: string[]; minTrust: number; policies?: CharterPolicies };
    if (p.tenant !== undefined && p.tenant !== request.tenant) {
      return refused('tenant_mismatch', [`the charter names tenant '${p.tenant}' but the caller acts in tenant '${request.tenant}'`], { payloadTenant: p.tenant, callerTenant: request.tenant });
    }
    // Only the caller's own tenant's charter of this id is loaded: another tenant's 'ch-1' is another
    // charter, so declaring an id another tenant uses behaves exactly as declaring an unused one.
    const { charter } = await store.load(scopeOfRequest(request));
    const ids = p.executors.map((e) => e.id);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    const unknown = (p.allowedExecutors ?? []).filter((id) => !ids.includes(id));
    if (duplicates.length > 0 || unknown.length > 0) {
      return refused('invalid_input', [
        ...duplicates.map((id) => `executor '${id}' is declared more than once`),
        ...unknown.map((id) => `allowedExecutors names '${id}', which is not among the declared executors`),
      ], { fields: [...duplicates.map(() => 'executors'), ...unknown.map(() => 'allowedExecutors')] });
    }
    const nowMs = deps.now();
    const next: CharterState = {
      kind: 'charter', revision: (charter?.revision ?? 0) + 1, charterId: request.charterId, tenant: request.tenant,
      declaredBy: charter?.declaredBy ?? request.caller, declaredAtMs: charter?.declaredAtMs ?? nowMs, updatedAtMs: nowMs,
      charter: { deadlineMs: p.deadlineMs, budget: p.budget, minTrust: p.minTrust, ...(p.allowedExecutors ? { allowedExecutors: p.allowedExecutors } : {}) },
      executors: p.executors, policies: p.policies ?? {}, goals: charter?.goals ?? [],
    };
    return write(store, charter?.revision ?? 0, next, [], { charterId: next.charterId, tenant: next.tenant, revision: next.revision, declaredAtMs: next.declaredAtMs, redeclared: charter !== null });
  };

  const goalRefine = (commit: boolean): Operation => async (request, payload) => {
    const p = payload as unknown as GoalPayload;
    const { charter } = await store.load(scopeOfRequest(request));
    if (!owned(charter, request)) return notFound(request);
    const nowMs = deps.now();
    const refined = refineInto(charter, p, nowMs);
    if ('answer' in refined) return refined;
    const result = { charterId: request.charterId, goalId: p.goalId, version: refined.version.version, status: commit ? 'committed' : 'refined', plan: refined.version.plan };
    if (!commit) return write(store, charter.revision, refined.charter, [refined.version], result);
    const committed = withGoal(refined.charter, { ...refined.summary, committedVersion: refined.version.version, committedAtMs: nowMs }, nowMs);
    return write(store, charter.revision, committed, [refined.version], { ...result, committedAtMs: nowMs }, new Set([refined.version.version]));
  };

  const graphCommit: Operation = async (request, payload) => {
    const p = payload as { goalId: string; expectedVersion: number };
    const { charter } = await store.load(scopeOfRequest(request));
    if (!owned(charter, request)) return notFound(request);
    const summary = charter.goals.find((g) => g.goalId === p.goalId);
    if (!summary) return goalNotFound(request, p.goalId);
    if (summary.committedVersion === p.expectedVersion) {
      return ok({ charterId: request.charterId, goalId: p.goalId, version: p.expectedVersion, committedAtMs: summary.committedAtMs, alreadyCommitted: true });
    }
    if (p.expectedVersion !== summary.latestVersion) return versionConflict(p.goalId, p.expectedVersion, summary.latestVersion, 'latest version');
    const nowMs = deps.now();
    const next = withGoal(charter, { ...summary, committedVersion: p.expectedVersion, committedAtMs: nowMs, updatedAtMs: nowMs }, nowMs);
    return write(store, charter.revision, next, [], { charterId: request.charterId, goalId: p.goalId, version: p.expectedVersion, committedAtMs: nowMs, previousVersion: summary.committedVersion, alreadyCommitted: false });
  };

  const graphDiff: Operation = async (request, payload) => {
    const p = payload as { goalId: string; fromVersion: number; toVersion: number };
    const { charter, versions } = await store.load(scopeOfRequest(request), [{ goalId: p.goalId, version: p.fromVersion }, { goalId: p.goalId, version: p.toVersion }]);
    if (!owned(charter, request)) return notFound(request);
    if (!charter.goals.some((g) => g.goalId === p.goalId)) return goalNotFound(request, p.goalId);
    const [from, to] = versions;
    const missing = [[p.fromVersion, from], [p.toVersion, to]].filter(([, v]) => !v).map(([n]) => n as number);
    if (!from || !to) return refused('not_found', missing.map((n) => `goal '${p.goalId}' has no version ${n}`), { goalId: p.goalId, missingVersions: missing });
    return ok({ charterId: request.charterId, goalId: p.goalId, fromVersion: p.fromVersion, toVersion: p.toVersion, ...diffGoals(from.goal, to.goal) });
  };

  const graphReplan = (commit: boolean): Operation => async (request, payload) => {
    const p = payload as { goalId: string; expectedVersion: number; reason?: string; progress?: Progress };
    const scope = scopeOfRequest(request);
    const loaded = await store.load(scope, [{ goalId: p.goalId, version: p.expectedVersion }], [executionGoalKey(keys, scope, p.goalId), heldStateKey(keys, 'dispatcher', scope)]);
    const { charter } = loaded;
    if (!owned(charter, request)) return notFound(request);
    const dispatcherHeld = loaded.extra[1];
    if (dispatcherHeld && !p.progress) {
      // Without the dispatcher's record the re-plan would start from no progress, and the steps that
      // already ran would be handed out again once the hold lifts.
      return refusedWhileDispatcherHolds(request, dispatcherHeld, 'A re-plan now would not know which steps ran; nothing was applied. Pass the progress in the call, or retry once the hold is lifted (docs/architecture.md, "A held charter")');
    }
    const summary = charter.goals.find((g) => g.goalId === p.goalId);
    if (!summary) return goalNotFound(request, p.goalId);
    if (summary.committedVersion !== p.expectedVersion) return versionConflict(p.goalId, p.expectedVersion, summary.committedVersion, 'committed version');
    const previous = loaded.versions[0];
    if (!previous) return refused('not_found', [`goal '${p.goalId}' has no version ${p.expectedVersion}`], { goalId: p.goalId, missingVersions: [p.expectedVersion] });
    const nowMs = deps.now();
    // The dispatcher's execution is the best account of what happened (compensations it wired in,
    // actuals); an explicit progress in the payload overrides its progress.
    const execution = parseGoalExecution(loaded.extra[0]) ?? undefined;
    const live = execution && execution.version === p.expectedVersion ? replanArguments(execution.state, nowMs) : null;
    const goal = live?.goal ?? previous.goal;
    const prior = live?.previous ?? previous.plan;
    const progress = p.progress ?? live?.progress ?? { completed: [], failed: [] };
    const relativeNow = live?.now ?? Math.max(0, nowMs - (summary.committedAtMs ?? nowMs));
    const outcome = replan(goal, charter.executors, charter.charter, prior, progress, relativeNow);
    if (!outcome.ok) return refused(outcome.refusal.code, outcome.refusal.reasons, outcome.refusal.details);
    const merged = mergeReplan(goal, prior, outcome.plan);
    const number = summary.latestVersion + 1;
    const version: GoalVersionState = {
      kind: 'goal_version', revision: 1, charterId: charter.charterId, tenant: charter.tenant, goalId: p.goalId, version: number,
      origin: 'replan', atMs: nowMs, goal: merged.goal, plan: merged.plan,
      replan: { basedOnVersion: p.expectedVersion, reason: p.reason ?? null, result: outcome.plan },
    };
    const nextSummary: GoalSummary = {
      ...summary, latestVersion: number, updatedAtMs: nowMs,
      ...(commit ? { committedVersion: number, committedAtMs: nowMs } : {}),
      versions: [...summary.versions, { version: number, origin: 'replan', atMs: nowMs, stepCount: merged.goal.steps.length, makespanMs: merged.plan.makespanMs, totalCost: merged.plan.totalCost }],
    };
    const r = outcome.plan;
    return write(store, charter.revision, withGoal(charter, nextSummary, nowMs), [version], {
      charterId: request.charterId, goalId: p.goalId, version: number, basedOnVersion: p.expectedVersion, committed: commit,
      compensations: r.compensations, retried: r.retried, spentCost: r.spentCost, remainingCharter: r.remainingCharter,
      remainder: r.remainder, plan: r.plan, progressSource: p.progress ? 'payload' : live ? 'dispatcher' : 'none',
    }, commit ? new Set([number]) : new Set());
  };

  const queryGoals: Operation = async (request, payload) => {
    const p = payload as { status?: string; limit?: number; cursor?: string };
    const scope = scopeOfRequest(request);
    const { charter, extra } = await store.load(scope, [], [executionKey(keys, scope), heldStateKey(keys, 'dispatcher', scope)]);
    if (!owned(charter, request)) return notFound(request);
    const dispatcherHeld = extra[1];
    if (dispatcherHeld) {
      // Without the dispatcher's record a running or finished goal would read as only committed.
      return refusedWhileDispatcherHolds(request, dispatcherHeld, 'Its goals\' statuses cannot be told until the hold is lifted; nothing was applied. Retry once it is (docs/architecture.md, "A held charter")');
    }
    const executions = executionGoals(extra[0]);
    const nowMs = deps.now();
    let offset = 0;
    if (p.cursor !== undefined) {
      const decoded = Number(Buffer.from(p.cursor, 'base64url').toString('utf8'));
      if (!Number.isSafeInteger(decoded) || decoded < 0) return refused('invalid_input', [`cursor '${p.cursor}' is not one this planner issued`], { fields: ['cursor'] });
      offset = decoded;
    }
    const limit = p.limit ?? DEFAULT_PAGE_SIZE;
    const all = charter.goals.map((g) => ({ summary: g, execution: executions.find((e) => e.goalId === g.goalId), status: statusOf(g, executions.find((e) => e.goalId === g.goalId)) }));
    const matching = p.status === undefined ? all : all.filter((g) => g.status === p.status);
    const page = matching.slice(offset, offset + limit);
    const nextOffset = offset + page.length;
    // Only the page's executions are read (a 1,000-step execution is a megabyte of JSON).
    const withExecution = page.filter((g) => g.execution !== undefined);
    const records = withExecution.length === 0 ? [] : (await store.load(scope, [], withExecution.map((g) => executionGoalKey(keys, scope, g.summary.goalId)))).extra.map(parseGoalExecution);
    const goals = page.map(({ summary: g, status }) => {
      const record = records[withExecution.findIndex((w) => w.summary.goalId === g.goalId)];
      const summary = record ? summarize(record.state, nowMs) : null;
      return {
        goalId: g.goalId, intent: g.intent, status, latestVersion: g.latestVersion, committedVersion: g.committedVersion,
        createdAtMs: g.createdAtMs, updatedAtMs: g.updatedAtMs,
        execution: summary ? { counts: summary.counts, actualCost: summary.actualCost, deadlineAtRisk: summary.deadlineAtRisk } : null,
      };
    });
    return ok({
      charterId: request.charterId, total: matching.length, goals,
      nextCursor: nextOffset < matching.length ? Buffer.from(String(nextOffset), 'utf8').toString('base64url') : null,
    });
  };

  return {
    'charter.declare': charterDeclare,
    'goal.refine': goalRefine(false),
    plan: goalRefine(true),
    'graph.commit': graphCommit,
    'graph.diff': graphDiff,
    'graph.replan': graphReplan(false),
    replan: graphReplan(true),
    'query.goals': queryGoals,
  };
}
