/**
 * Plans: for each goal, its latest version's dependency graph and Gantt chart with the live dispatch
 * state of its execution; below, every charter's and goal's latest state as the API serves it.
 */
import type { ListHistory } from '../history';
import type { EventStore } from '../event-store';
import { text, time, type ProjectedEvent } from '../event';
import { committedVersion, planChart } from '../plan-chart';
import { Count, Empty } from './empty';
import { DependencyGraph, Gantt, StatusLegend } from './plan-charts';

/** The latest event per key. */
function latestBy(events: readonly ProjectedEvent[], key: (e: ProjectedEvent) => string): Map<string, ProjectedEvent> {
  const latest = new Map<string, ProjectedEvent>();
  for (const e of events) {
    const k = key(e);
    const current = latest.get(k);
    if (!current || current.atMs <= e.atMs) latest.set(k, e);
  }
  return latest;
}

export function Plans({ store, history }: { store: EventStore; history: ListHistory }) {
  const plans = store.ofKind('plan');
  const executions = store.ofKind('execution');
  const goalKey = (e: ProjectedEvent) => `${text(e, 'charterId')}/${text(e, 'goalId')}`;
  const charters = latestBy(plans.filter((e) => text(e, 'kind') === 'charter'), (e) => text(e, 'charterId'));
  // Per goal, the version its charter says is committed (the one being executed), else its highest.
  const versions = new Map<string, ProjectedEvent>();
  for (const e of plans) {
    if (text(e, 'kind') !== 'goal_version') continue;
    const committed = committedVersion(charters.get(text(e, 'charterId')), text(e, 'goalId'));
    const rank = (v: ProjectedEvent) => (Number(v.record.version) === committed ? Number.MAX_SAFE_INTEGER : Number(v.record.version));
    const current = versions.get(goalKey(e));
    if (!current || rank(current) <= rank(e)) versions.set(goalKey(e), e);
  }
  const statusOf = (v: ProjectedEvent) => (committedVersion(charters.get(text(v, 'charterId')), text(v, 'goalId')) === Number(v.record.version) ? 'committed' : text(v, 'status'));
  const runs = latestBy(executions.filter((e) => text(e, 'goalId') !== ''), goalKey);
  const rows = [...latestBy([...plans, ...executions], (e) => `${e.kind}:${goalKey(e)}`).values()].sort((a, b) => b.atMs - a.atMs);
  const goals = [...versions.values()].sort((a, b) => b.atMs - a.atMs).slice(0, 20);
  return (
    <section>
      <h2>Plans <span class="muted">(<Count n={goals.length} history={history} /> goals)</span></h2>
      {goals.length > 0 && <StatusLegend />}
      {goals.map((v) => {
        const chart = planChart(v, runs.get(goalKey(v)));
        return (
          <div class="card plan" data-testid="plan" data-goal={text(v, 'goalId')}>
            <h3>{text(v, 'charterId')} / {text(v, 'goalId')} v{text(v, 'version')} <span class="muted">{statusOf(v)}{runs.get(goalKey(v)) ? ` · ${runs.get(goalKey(v))!.summary}` : ''}</span></h3>
            {chart ? <div class="plan-charts"><DependencyGraph chart={chart} /><Gantt chart={chart} /></div> : <p class="muted">{String(v.record.stateOmitted ?? 'no schedule in this record')}</p>}
          </div>
        );
      })}
      {rows.length > 0 && <h3>States</h3>}
      {rows.length > 0 && <table data-testid="plans"><thead><tr><th>updated</th><th>kind</th><th>charter</th><th>goal</th><th>state</th></tr></thead>
        <tbody>{rows.slice(0, 200).map((e) => (
          <tr><td class="muted">{time(e.atMs)}</td><td>{e.kind}</td><td>{text(e, 'charterId')}</td><td>{text(e, 'goalId')}</td><td>{e.summary}</td></tr>
        ))}</tbody></table>}
      {rows.length === 0 && <Empty history={history}>No plan yet. Plans come through the MAESTRO protocol (<code>charter.declare</code>, then <code>goal.refine</code>): each goal's graph and schedule appear here, coloured as it is dispatched.</Empty>}
    </section>
  );
}
