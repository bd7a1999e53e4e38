/**
 * Routing decisions, narrowed by text and by outcome and the chosen asset's region and provider; and
 * for the one selected every candidate: chosen, runner-up, fallbacks, rejected with reasons.
 */
import type { ListHistory } from '../history';
import { useState } from 'preact/hooks';
import type { EventStore } from '../event-store';
import { list, text, time, type ProjectedEvent } from '../event';
import { searchable, type ListFilter, type Searchable } from '../list-filter';
import { useFiltered, type RowCache } from '../use-filtered';
import { VirtualList } from '../virtual-list';
import { Count, Empty } from './empty';
import { FilterBar } from './filter-bar';

/** What a routing decision can be narrowed by: routed or refused, and where the chosen asset is. */
export type RoutingFacet = 'outcome' | 'region' | 'provider';

type RoutingRow = Searchable<RoutingFacet> & { readonly event: ProjectedEvent };

const FACETS: readonly RoutingFacet[] = ['outcome', 'region', 'provider'];

/** The chosen asset's region and provider are the fleet's latest word on it ('—' when refused or not yet known). */
function routingRows(store: EventStore, cached: RowCache<RoutingRow>): RoutingRow[] {
  const assets = store.assets();
  return [...store.ofKind('routing')].reverse().map((event) => {
    const chosen = event.record.assetId ? assets.get(text(event, 'assetId')) : undefined;
    return cached(event, chosen?.id ?? '', () => {
      const region = (chosen && text(chosen, 'region')) || '—';
      const provider = (chosen && text(chosen, 'provider')) || '—';
      const outcome = text(event, 'outcome');
      return { event, ...searchable<RoutingFacet>([event.summary, text(event, 'jobClass'), outcome, region, provider], { outcome, region, provider }) };
    });
  });
}

interface Candidate { assetId: string; role: string; score: string; reasons: string }

function candidates(d: ProjectedEvent): Candidate[] {
  const rows: Candidate[] = [];
  const score = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : '');
  if (d.record.assetId) rows.push({ assetId: text(d, 'assetId'), role: 'chosen', score: score(d.record.score), reasons: Object.entries((d.record.breakdown ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') });
  if (d.record.runnerUpAssetId) rows.push({ assetId: text(d, 'runnerUpAssetId'), role: 'runner-up', score: score(d.record.runnerUpScore), reasons: `margin ${score(d.record.margin)}` });
  for (const f of list(d, 'fallbacks')) if (f !== d.record.runnerUpAssetId) rows.push({ assetId: f, role: 'fallback', score: '', reasons: '' });
  for (const r of (d.record.rejections ?? []) as { assetId: string; reasons: string[] }[]) rows.push({ assetId: r.assetId, role: 'rejected', score: '', reasons: r.reasons.join('; ') });
  return rows;
}

/** The filter is the console's, not the view's: it is still set when the user comes back from an asset's page. */
export function Routing({ store, history, filter, setFilter }: { store: EventStore; history: ListHistory; filter: ListFilter<RoutingFacet>; setFilter(filter: ListFilter<RoutingFacet>): void }) {
  const { all, shown } = useFiltered(store, routingRows, filter);
  const [selected, setSelected] = useState<string | null>(null);
  // A decision the filter hides is not detailed: the first one shown is.
  const decision = (shown.find((r) => r.event.id === selected) ?? shown[0])?.event ?? null;
  return (
    <section>
      <h2>Routing decisions <span class="muted">(<Count n={all.length} history={history} />)</span></h2>
      {all.length === 0 && <Empty history={history}>No routing decision yet. Submit a job (<code>npm run maestro -- job submit</code>, or <code>POST /v1/jobs</code>): the router's decision and every candidate it weighed appear here.</Empty>}
      <FilterBar id="routing" noun="routing decision" all={all} shown={shown.length} facets={FACETS} placeholder="filter by job, asset, outcome, region, provider" filter={filter} setFilter={setFilter} />
      {shown.length > 0 && <VirtualList key={JSON.stringify(filter)} testId="routing-list" items={shown} rowHeight={28} height={260} row={({ event: d, facets }) => (
        <div class={`line clickable ${decision?.id === d.id ? 'selected' : ''}`} data-testid="routing-row" title={d.summary} onClick={() => setSelected(d.id)}><span class="muted">{time(d.atMs)}</span> <span class="pill">{facets.outcome}</span> {[facets.region, facets.provider].filter((v) => v !== '—').join(' ')} {d.summary}</div>
      )} />}
      {decision && (
        <div class="card" data-testid="routing-detail">
          <h3>{text(decision, 'jobId')} ({text(decision, 'jobClass')}): {text(decision, 'outcome')}</h3>
          <p>{text(decision, 'reasoning')}</p>
          <p class="muted">{text(decision, 'eligibleCount')} of {text(decision, 'candidateCount')} candidates eligible{Number(decision.record.rejectionsOmitted) > 0 ? `; ${text(decision, 'rejectionsOmitted')} rejections not listed` : ''}</p>
          <table><thead><tr><th>candidate</th><th>role</th><th>score</th><th>why</th></tr></thead>
            <tbody>{candidates(decision).map((c) => <tr class={c.role}><td>{c.assetId}</td><td>{c.role}</td><td>{c.score}</td><td>{c.reasons}</td></tr>)}</tbody></table>
        </div>
      )}
    </section>
  );
}
