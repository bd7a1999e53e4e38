/** Fleet overview: assets by region and provider, health, open anomalies, and every asset (virtualised). */
import type { EventStore, Health } from '../event-store';
import { text, time } from '../event';
import { VirtualList } from '../virtual-list';
import { Empty } from './empty';

function countBy(values: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function Fleet({ store, loading }: { store: EventStore; loading: boolean }) {
  const now = Date.now();
  const assets = [...store.assets().values()].sort((a, b) => (a.assetId ?? '').localeCompare(b.assetId ?? ''));
  const health = new Map<string, Health>(assets.map((a) => [a.assetId ?? '', store.health(a.assetId ?? '', now)]));
  const open = assets.flatMap((a) => store.openAnomalies(a.assetId ?? '', now)).sort((a, b) => b.atMs - a.atMs);
  const byRegion = countBy(assets.map((a) => text(a, 'region') || '—'));
  const byProvider = countBy(assets.map((a) => text(a, 'provider') || '—'));
  const byHealth = countBy(health.values());
  return (
    <section>
      <div class="cards">
        <div class="card"><h3>Assets</h3><div class="big" data-testid="asset-count">{assets.length}</div>{byHealth.map(([h, n]) => <span class={`pill ${h}`}>{h} {n}</span>)}</div>
        <div class="card"><h3>By region</h3>{byRegion.map(([r, n]) => <div class="kv"><span>{r}</span><b>{n}</b></div>)}</div>
        <div class="card"><h3>By provider</h3>{byProvider.map(([p, n]) => <div class="kv"><span>{p}</span><b>{n}</b></div>)}</div>
        <div class="card wide"><h3>Open anomalies <span class="muted">({open.length})</span></h3>
          <div data-testid="open-anomalies">
            {open.slice(0, 8).map((a) => <div class="line" title={a.summary}><a href={`#/asset/${encodeURIComponent(a.assetId ?? '')}`}>{a.assetId}</a> <span class="sev">{(a.severity ?? 0).toFixed(2)}</span> {a.summary}</div>)}
            {open.length === 0 && <div class="muted">none</div>}
          </div>
        </div>
      </div>
      <h2>Assets</h2>
      {assets.length === 0 && <Empty loading={loading}>No asset yet. Post telemetry (README, “What happened?”): discovery publishes each asset it hears of within seconds.</Empty>}
      {assets.length > 0 && <VirtualList header={<div class="grid-assets"><span>asset</span><span>kind</span><span>region</span><span>provider</span><span>health</span><span>last change</span></div>} testId="asset-list" items={assets} rowHeight={30} height={480} row={(a) => {
        const id = a.assetId ?? '';
        return (
          <div class="grid-assets" data-testid="asset-row" data-asset={id}>
            <a href={`#/asset/${encodeURIComponent(id)}`} title={id}>{id}</a><span title={text(a, 'kind')}>{text(a, 'kind')}</span><span title={text(a, 'region')}>{text(a, 'region')}</span><span title={text(a, 'provider')}>{text(a, 'provider')}</span>
            <span class={`pill ${health.get(id)}`}>{health.get(id)}</span><span class="muted">{text(a, 'change')} {time(a.atMs)}</span>
          </div>
        );
      }} />}
    </section>
  );
}
