/**
 * Fleet overview: assets by region and provider, health, open anomalies, and every asset
 * (virtualised). A thousand assets are found by filtering, not scrolling: a text box, and the
 * health, region and provider of the cards above, each a click that narrows the list (again: clears).
 */
import { useMemo } from 'preact/hooks';
import { UNKNOWN_HEALTH, type EventStore } from '../event-store';
import { text, time, type ProjectedEvent } from '../event';
import { assetRow, type AssetFields, type FleetFacet } from '../fleet-row';
import type { ListHistory } from '../history';
import { countsOf, filterRows, isFiltering, noFilter, toggle, type ListFilter, type Searchable } from '../list-filter';
import { createRowCache } from '../row-cache';
import { VirtualList } from '../virtual-list';
import { Count, Empty } from './empty';

type FleetRow = AssetFields & Searchable<FleetFacet> & { readonly event: ProjectedEvent };

/** Open anomalies listed on the card; the rest are a click away, in Incidents. */
const OPEN_SHOWN = 8;

/** The filter is the console's, not the view's: it is still set when the user comes back from an asset's page. */
export function Fleet({ store, history, anomalyHistory, filter, setFilter }: { store: EventStore; history: ListHistory; anomalyHistory: ListHistory; filter: ListFilter<FleetFacet>; setFilter(filter: ListFilter<FleetFacet>): void }) {
  const now = Date.now();
  // A row reads its asset's latest event and its health: made again only when one of them changes.
  const cached = useMemo(() => createRowCache<FleetRow>(), [store]);
  const all = [...store.assets().values()]
    .sort((a, b) => (a.assetId ?? '').localeCompare(b.assetId ?? ''))
    .map((a) => {
      const id = a.assetId ?? '';
      const health = store.health(id, now);
      return cached(a, health, () => assetRow({ id, kind: text(a, 'kind'), region: text(a, 'region') || '—', provider: text(a, 'provider') || '—', health, event: a }));
    });
  const shown = filterRows(all, filter);
  const open = all.flatMap((a) => store.openAnomalies(a.id, now)).sort((a, b) => b.atMs - a.atMs);
  // Open anomalies are looked up per asset of the list: without the asset list, none found is not none.
  const openHistory = anomalyHistory.state === 'failed' ? anomalyHistory : history;
  const pick = (facet: FleetFacet, value: string) => setFilter(toggle(filter, facet, value));
  const picked = (facet: FleetFacet, value: string) => (filter.picks[facet] === value ? ' picked' : '');
  // A fleet whose list failed holds only the assets heard of live since: its count is not the fleet's.
  const notLoaded = history.state === 'failed';
  const counts = (facet: 'region' | 'provider') => countsOf(all, facet).map(([value, n]) => (
    <button type="button" class={`kv pick${picked(facet, value)}`} data-testid={`pick-${facet}`} data-value={value} title={`only ${value} (again: all)`} onClick={() => pick(facet, value)}><span>{value}</span><b>{n}</b></button>
  ));
  return (
    <section>
      <div class="cards">
        <div class="card"><h3>Assets</h3><div class="big" data-testid="asset-count"><Count n={all.length} history={history} /></div>
          {countsOf(all, 'health').map(([h, n]) => <button type="button" class={`pill ${h} pick${picked('health', h)}`} data-testid="pick-health" data-value={h} title={`${h === 'unknown' ? `${UNKNOWN_HEALTH}; ` : ''}only ${h} (again: all)`} onClick={() => pick('health', h)}>{h} {n}</button>)}
        </div>
        <div class="card"><h3>By region</h3>{counts('region')}</div>
        <div class="card"><h3>By provider</h3>{counts('provider')}</div>
        <div class="card wide"><h3>Open anomalies <span class="muted">(<Count n={open.length} history={openHistory} />)</span></h3>
          <div data-testid="open-anomalies">
            {open.slice(0, OPEN_SHOWN).map((a) => <div class="line" title={a.summary}><a href={`#/asset/${encodeURIComponent(a.assetId ?? '')}`}>{a.assetId}</a> <span class="sev">{(a.severity ?? 0).toFixed(2)}</span> {a.summary}</div>)}
            {open.length === 0 && <div class="muted">{openHistory.state !== 'failed' ? 'none' : `not loaded: the ${openHistory === anomalyHistory ? 'anomalies' : 'asset list'} did not load (see above)`}</div>}
            {open.length > 0 && !store.loaded('action') && <div class="muted" data-testid="open-unsure">some may be resolved: the actions did not load (see above)</div>}
            {open.length > 0 && store.loaded('action') && open.some((a) => a.atMs <= store.completeAfter('action')) && <div class="muted" data-testid="open-unsure">some may be resolved: they are older than the actions the console holds</div>}
            {open.length > OPEN_SHOWN && <a href="#/incidents" data-testid="open-anomalies-more">{open.length - OPEN_SHOWN} more in Incidents →</a>}
          </div>
        </div>
      </div>
      <h2>Assets {isFiltering(filter) && <span class="muted" data-testid="asset-shown">({shown.length} of {all.length} shown)</span>}
        {notLoaded && all.length > 0 && <span class="muted" data-testid="asset-partial"> (the list did not load: only the assets heard of live since)</span>}</h2>
      {all.length > 0 && (
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <input class="asset-filter" data-testid="asset-filter" placeholder="filter by id, kind, region, provider" value={filter.text} onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
          {isFiltering(filter) && <button type="button" onClick={() => setFilter(noFilter())}>clear filters</button>}
        </form>
      )}
      {all.length === 0 && <Empty history={history}>No asset yet. Post telemetry (README, “What happened?”): discovery publishes each asset it hears of within seconds.</Empty>}
      {all.length > 0 && shown.length === 0 && <p class="muted empty" data-testid="empty">No asset matches the filters.</p>}
      {shown.length > 0 && <VirtualList key={JSON.stringify(filter)} header={<div class="grid-assets"><span>asset</span><span>kind</span><span>region</span><span>provider</span><span>health</span><span>last change</span></div>} testId="asset-list" items={shown} rowHeight={30} height={480} row={(a) => (
        <div class="grid-assets" data-testid="asset-row" data-asset={a.id}>
          <a href={`#/asset/${encodeURIComponent(a.id)}`} title={a.id}>{a.id}</a><span title={a.kind}>{a.kind}</span><span title={a.region}>{a.region}</span><span title={a.provider}>{a.provider}</span>
          <span class={`pill ${a.health}`} title={a.health === 'unknown' ? UNKNOWN_HEALTH : ''}>{a.health}</span><span class="muted">{text(a.event, 'change')} {time(a.event.atMs)}</span>
        </div>
      )} />}
    </section>
  );
}
