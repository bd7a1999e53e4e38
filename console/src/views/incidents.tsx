/**
 * Incident timeline: each anomaly with what the healer made of it — the decision and its reasons
 * (the action it took, or the audit of a decision not to act), the action's result, and escalations.
 */
import type { ListHistory } from '../history';
import type { EventStore } from '../event-store';
import { reasonsOf } from '../event-store';
import { list, text, time, type ProjectedEvent } from '../event';
import { decisionsOf, decisionUnknown, stateOf } from '../incident-state';
import { searchable, type ListFilter, type Searchable } from '../list-filter';
import { useFiltered, type RowCache } from '../use-filtered';
import { Count, Empty } from './empty';
import { FilterBar } from './filter-bar';

const PAGE = 50;

/** What an incident can be narrowed by: the anomaly's kind and where the healer got with it. */
export type IncidentFacet = 'kind' | 'state';

type IncidentRow = Searchable<IncidentFacet> & { readonly anomaly: ProjectedEvent };

function incidentRows(store: EventStore, cached: RowCache<IncidentRow>): IncidentRow[] {
  return store.ofKind('anomaly').map((anomaly) => {
    const anomalyId = text(anomaly, 'anomalyId');
    const actions = store.actionsOf(anomalyId);
    const results = actions.length === 0 ? [] : actions.flatMap((a) => store.resultsOf(text(a, 'actionId')));
    // Only a decision not to act says more than the actions do: the audit is not read for the others.
    const decisions = actions.length > 0 ? [] : store.auditAbout(anomalyId);
    const unknown = decisionUnknown(store, anomaly, actions, decisions) !== null;
    // The lists grow as the healer goes on, so their lengths say when the row would read differently (an
    // event trimmed and another added to one list in the same frame would wait for the next change).
    return cached(anomaly, `${actions.length}/${results.length}/${decisions.length}/${unknown}`, () => {
      const state = stateOf(actions, results, decisions, unknown);
      const kind = text(anomaly, 'kind');
      return {
        anomaly,
        ...searchable<IncidentFacet>([anomaly.assetId, kind, text(anomaly, 'metric'), state, ...actions.map((a) => text(a, 'strategy')), ...decisions.map((d) => text(d, 'outcome'))], { kind, state }),
      };
    });
  });
}

export function Incident({ store, anomaly, state }: { store: EventStore; anomaly: ProjectedEvent; state?: string }) {
  const anomalyId = text(anomaly, 'anomalyId');
  const actions = store.actionsOf(anomalyId);
  const audits = decisionsOf(store, anomalyId, actions);
  const unknown = decisionUnknown(store, anomaly, actions, audits);
  return (
    <div class="incident" data-testid="incident" data-anomaly={anomalyId}>
      <div class="step anomaly"><span class="tag">anomaly</span> <b>{text(anomaly, 'kind')}</b> on <a href={`#/asset/${encodeURIComponent(anomaly.assetId ?? '')}`}>{anomaly.assetId}</a> {text(anomaly, 'metric')} = {text(anomaly, 'value')} <span class="sev">severity {(anomaly.severity ?? 0).toFixed(2)}</span> {state !== undefined && <span class="pill" data-testid="incident-state">{state}</span>} <span class="muted">{time(anomaly.atMs)}</span></div>
      {audits.map((a) => (
        <div class="step decision" data-testid="decision"><span class="tag">{text(a, 'kind')}</span> <b>{text(a, 'outcome')}</b> <span class="muted">{time(a.atMs)}</span>
          <ul>{list(a, 'reasons').map((r) => <li>{r}</li>)}</ul>
        </div>
      ))}
      {actions.map((action) => (
        <div class="step action" data-testid="action"><span class="tag">{Number(action.record.attempt) > 1 ? 'escalation' : 'action'}</span> {action.summary} <span class="muted">{time(action.atMs)}</span>
          {/* The decision's audit usually gives the same reasons; they are shown once. */}
          {!audits.some((a) => list(a, 'reasons').join('\n') === reasonsOf(action).join('\n')) && <ul>{reasonsOf(action).map((r) => <li>{r}</li>)}</ul>}
          {store.resultsOf(text(action, 'actionId')).map((r) => <div class={`step result ${text(r, 'status')}`} data-testid="result"><span class="tag">result</span> {r.summary}</div>)}
        </div>
      ))}
      {unknown !== null && <div class="step muted" data-testid="decision-unknown">{audits.length === 0 ? 'decision unknown' : 'whether it acted is unknown'}: {unknown}</div>}
      {unknown === null && actions.length === 0 && audits.length === 0 && <div class="step muted">no decision yet</div>}
    </div>
  );
}

const FACETS: readonly IncidentFacet[] = ['kind', 'state'];

/** The page turned to, and the filter it was turned under: a new filter starts at the newest. */
export interface IncidentPage {
  readonly filter: ListFilter<IncidentFacet>;
  readonly page: number;
}

/**
 * The filter and the page are the console's, not the view's: both are still set when the user comes
 * back from an asset's page.
 */
export function Incidents({ store, history, filter, setFilter, paged, setPaged }: { store: EventStore; history: ListHistory; filter: ListFilter<IncidentFacet>; setFilter(filter: ListFilter<IncidentFacet>): void; paged: IncidentPage; setPaged(paged: IncidentPage): void }) {
  const { all, shown } = useFiltered(store, incidentRows, filter);
  const total = all.length;
  const pages = Math.ceil(shown.length / PAGE);
  const page = paged.filter === filter ? Math.min(paged.page, Math.max(0, pages - 1)) : 0;
  const onPage: IncidentRow[] = [];
  for (let i = shown.length - 1 - page * PAGE; i >= 0 && onPage.length < PAGE; i--) onPage.push(shown[i]!);
  return (
    <section>
      <h2>Incidents <span class="muted">(<Count n={total} history={history} /> {total === 1 ? 'anomaly' : 'anomalies'})</span></h2>
      <FilterBar id="incident" noun="incident" all={all} shown={shown.length} facets={FACETS} placeholder="filter by asset, kind, metric, state, strategy" filter={filter} setFilter={setFilter} />
      <Pager page={page} pages={pages} onPage={(p) => setPaged({ filter, page: p })} />
      {onPage.map((r) => <Incident store={store} anomaly={r.anomaly} state={r.facets.state} key={r.anomaly.id} />)}
      {total === 0 && <Empty history={history}>No anomaly yet. Post telemetry with a spike (README, “What happened?”): the anomaly and the healer's decision appear here live.</Empty>}
    </section>
  );
}

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage(page: number): void }) {
  if (pages <= 1) return null;
  return (
    <div class="pager" data-testid="pager">
      <button disabled={page === 0} onClick={() => onPage(page - 1)}>newer</button> page {page + 1} of {pages} <button disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>older</button>
    </div>
  );
}
