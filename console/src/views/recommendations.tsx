/**
 * Scaling recommendations, newest first, with their confidence and the load forecast they cover;
 * narrowed by text and by action.
 */
import type { ListHistory } from '../history';
import type { EventStore } from '../event-store';
import { text, time, type ProjectedEvent } from '../event';
import { forecastCell, forecastOf, forecastSentence } from '../forecast';
import { searchable, type ListFilter, type Searchable } from '../list-filter';
import { useFiltered, type RowCache } from '../use-filtered';
import { VirtualList } from '../virtual-list';
import { Count, Empty } from './empty';
import { FilterBar } from './filter-bar';

/** What a recommendation can be narrowed by: its action, which is also its direction (scale_out, scale_in, ...). */
export type RecommendationFacet = 'action';

type RecommendationRow = Searchable<RecommendationFacet> & { readonly event: ProjectedEvent };

const FACETS: readonly RecommendationFacet[] = ['action'];

/** A recommendation's row reads nothing but the recommendation: made once. */
function recommendationRows(store: EventStore, cached: RowCache<RecommendationRow>): RecommendationRow[] {
  return [...store.ofKind('recommendation')].reverse().map((event) => cached(event, '', () => {
    const action = text(event, 'action');
    return { event, ...searchable<RecommendationFacet>([event.assetId, action, text(event, 'rationale')], { action }) };
  }));
}

/** The filter is the console's, not the view's: it is still set when the user comes back from an asset's page. */
export function Recommendations({ store, history, filter, setFilter }: { store: EventStore; history: ListHistory; filter: ListFilter<RecommendationFacet>; setFilter(filter: ListFilter<RecommendationFacet>): void }) {
  const { all, shown } = useFiltered(store, recommendationRows, filter);
  return (
    <section>
      <h2>Recommendations <span class="muted">(<Count n={all.length} history={history} />)</span></h2>
      {all.length === 0 && <Empty history={history}>No recommendation yet. The optimizer recommends scaling an asset from its saturation, latency and unit cost (docs/telemetry.md) once it has seen enough samples.</Empty>}
      <FilterBar id="recommendation" noun="recommendation" all={all} shown={shown.length} facets={FACETS} placeholder="filter by asset, action, rationale" filter={filter} setFilter={setFilter} />
      {shown.length > 0 && <VirtualList key={JSON.stringify(filter)} header={<div class="grid-recs"><span>when</span><span>asset</span><span>action</span><span>confidence</span><span title="peak load over the forecast horizon, in replicas' worth of work at full utilisation, with its band">forecast (band)</span><span>rationale</span></div>} testId="recommendation-list" items={shown} rowHeight={30} height={560} row={({ event: r }) => {
        const confidence = Number(r.record.confidence ?? 0);
        const forecast = forecastOf(r);
        return (
          <div class="grid-recs" data-testid="recommendation-row" data-asset={r.assetId ?? ''}>
            <span class="muted">{time(r.atMs)}</span><a href={`#/asset/${encodeURIComponent(r.assetId ?? '')}`} title={r.assetId ?? ''}>{r.assetId}</a><span>{text(r, 'action')}</span>
            <span class="bar" title={confidence.toFixed(2)}><i style={{ width: `${Math.round(confidence * 100)}%` }} /><b>{confidence.toFixed(2)}</b></span>
            {forecast ? <span data-testid="recommendation-forecast" title={forecastSentence(forecast)}>{forecastCell(forecast)}</span> : <span class="muted" data-testid="recommendation-forecast" title="the optimizer made no forecast for this decision">—</span>}
            <span class="ellipsis" title={text(r, 'rationale')}>{text(r, 'rationale')}</span>
          </div>
        );
      }} />}
    </section>
  );
}
