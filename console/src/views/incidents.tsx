/**
 * Incident timeline: each anomaly with what the healer made of it — the decision and its reasons
 * (the action it took, or the audit of a decision not to act), the action's result, and escalations.
 */
import { useState } from 'preact/hooks';
import type { EventStore } from '../event-store';
import { reasonsOf } from '../event-store';
import { list, text, time, type ProjectedEvent } from '../event';
import { Empty } from './empty';

const PAGE = 50;

export function Incident({ store, anomaly }: { store: EventStore; anomaly: ProjectedEvent }) {
  const anomalyId = text(anomaly, 'anomalyId');
  const actions = store.actionsOf(anomalyId);
  const audits = [...new Set([...store.auditAbout(anomalyId), ...actions.flatMap((x) => store.auditAbout(text(x, 'actionId')))])].sort((a, b) => a.atMs - b.atMs);
  return (
    <div class="incident" data-testid="incident" data-anomaly={anomalyId}>
      <div class="step anomaly"><span class="tag">anomaly</span> <b>{text(anomaly, 'kind')}</b> on <a href={`#/asset/${encodeURIComponent(anomaly.assetId ?? '')}`}>{anomaly.assetId}</a> {text(anomaly, 'metric')} = {text(anomaly, 'value')} <span class="sev">severity {(anomaly.severity ?? 0).toFixed(2)}</span> <span class="muted">{time(anomaly.atMs)}</span></div>
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
      {actions.length === 0 && audits.length === 0 && <div class="step muted">no decision yet</div>}
    </div>
  );
}

export function Incidents({ store, loading }: { store: EventStore; loading: boolean }) {
  const [page, setPage] = useState(0);
  const anomalies = store.ofKind('anomaly');
  const total = anomalies.length;
  const shown: ProjectedEvent[] = [];
  for (let i = total - 1 - page * PAGE; i >= 0 && shown.length < PAGE; i--) shown.push(anomalies[i]!);
  return (
    <section>
      <h2>Incidents <span class="muted">({total} {total === 1 ? 'anomaly' : 'anomalies'})</span></h2>
      <Pager page={page} pages={Math.ceil(total / PAGE)} onPage={setPage} />
      {shown.map((a) => <Incident store={store} anomaly={a} key={a.id} />)}
      {total === 0 && <Empty loading={loading}>No anomaly yet. Post telemetry with a spike (README, “What happened?”): the anomaly and the healer's decision appear here live.</Empty>}
    </section>
  );
}

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage(page: number): void }) {
  if (pages <= 1) return null;
  return (
    <div class="pager">
      <button disabled={page === 0} onClick={() => onPage(page - 1)}>newer</button> page {page + 1} of {pages} <button disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>older</button>
    </div>
  );
}
