/**
 * Server-side search over one list route (audit, dead letters): filters sent as the read API's
 * query parameters, results paged with its cursor, each record expandable.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, qs } from '../api';
import { time, type Page, type ProjectedEvent } from '../event';
import { latestOnly } from '../latest-only';

export function Search({ title, path, testId }: { title: string; path: string; testId: string }) {
  const [asset, setAsset] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [items, setItems] = useState<ProjectedEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  // Only the latest search may fill the list: an earlier one answering late must not overwrite it.
  const [latest] = useState(() => latestOnly<Page>());
  const load = async (more: boolean) => {
    setError(null);
    try {
      const answer = await latest(getJson<Page>(`${path}${qs({ asset, from, to, limit: 100, cursor: more ? cursor : null })}`));
      if (!answer.current) return;
      const page = answer.value;
      setItems(more ? [...items, ...page.items] : page.items);
      setCursor(page.nextCursor);
      setLoaded(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => void load(false), [path]);

  return (
    <section>
      <h2>{title}</h2>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); void load(false); }}>
        <input placeholder="asset" value={asset} onInput={(e) => setAsset(e.currentTarget.value)} />
        <input placeholder="from (ISO or ms)" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        <input placeholder="to (ISO or ms)" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        <button type="submit">search</button>
      </form>
      {error && <p class="error">{error}</p>}
      <div data-testid={testId} data-loaded={String(loaded)}>
        {items.map((e) => (
          <div class="line clickable" key={e.id} data-testid={`${testId}-row`} onClick={() => setOpen(open === e.id ? null : e.id)}>
            <span class="muted">{time(e.atMs)}</span> {e.summary}
            {open === e.id && <pre>{JSON.stringify(e.record, null, 2)}</pre>}
          </div>
        ))}
      </div>
      {loaded && items.length === 0 && <p class="muted">Nothing matches.</p>}
      {cursor && <button onClick={() => void load(true)}>older</button>}
    </section>
  );
}
