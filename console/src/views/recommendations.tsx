/** Scaling recommendations, newest first, with their confidence. */
import type { EventStore } from '../event-store';
import { text, time } from '../event';
import { VirtualList } from '../virtual-list';
import { Empty } from './empty';

export function Recommendations({ store, loading }: { store: EventStore; loading: boolean }) {
  const items = [...store.ofKind('recommendation')].reverse();
  return (
    <section>
      <h2>Recommendations <span class="muted">({items.length})</span></h2>
      {items.length === 0 && <Empty loading={loading}>No recommendation yet. The optimizer recommends scaling an asset from its saturation, latency and unit cost (docs/telemetry.md) once it has seen enough samples.</Empty>}
      {items.length > 0 && <VirtualList header={<div class="grid-recs"><span>when</span><span>asset</span><span>action</span><span>confidence</span><span>rationale</span></div>} testId="recommendation-list" items={items} rowHeight={30} height={560} row={(r) => {
        const confidence = Number(r.record.confidence ?? 0);
        return (
          <div class="grid-recs">
            <span class="muted">{time(r.atMs)}</span><a href={`#/asset/${encodeURIComponent(r.assetId ?? '')}`} title={r.assetId ?? ''}>{r.assetId}</a><span>{text(r, 'action')}</span>
            <span class="bar" title={confidence.toFixed(2)}><i style={{ width: `${Math.round(confidence * 100)}%` }} /><b>{confidence.toFixed(2)}</b></span><span class="ellipsis" title={text(r, 'rationale')}>{text(r, 'rationale')}</span>
          </div>
        );
      }} />}
    </section>
  );
}
