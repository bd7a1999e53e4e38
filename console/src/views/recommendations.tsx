/** Scaling recommendations, newest first, with their confidence. */
import type { EventStore } from '../event-store';
import { text, time } from '../event';
import { VirtualList } from '../virtual-list';

export function Recommendations({ store }: { store: EventStore }) {
  const items = [...store.ofKind('recommendation')].reverse();
  return (
    <section>
      <h2>Recommendations <span class="muted">({items.length})</span></h2>
      <VirtualList header={<div class="grid-recs"><span>when</span><span>asset</span><span>action</span><span>confidence</span><span>rationale</span></div>} testId="recommendation-list" items={items} rowHeight={30} height={560} row={(r) => {
        const confidence = Number(r.record.confidence ?? 0);
        return (
          <div class="grid-recs">
            <span class="muted">{time(r.atMs)}</span><a href={`#/asset/${encodeURIComponent(r.assetId ?? '')}`}>{r.assetId}</a><span>{text(r, 'action')}</span>
            <span class="bar" title={confidence.toFixed(2)}><i style={{ width: `${Math.round(confidence * 100)}%` }} />{confidence.toFixed(2)}</span><span class="ellipsis">{text(r, 'rationale')}</span>
          </div>
        );
      }} />
    </section>
  );
}
