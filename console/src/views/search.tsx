/**
 * Server-side search over one list route (audit, dead letters): filters sent as the read API's
 * query parameters, results paged with its cursor, each record expandable.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, qs } from '../api';
import { time, type Page, type ProjectedEvent } from '../event';
import { latestOnly } from '../latest-only';
import { ErrorBanner } from './error-banner';

export interface SearchProps {
  readonly title: string;
  readonly path: string;
  readonly testId: string;
  /** Said when the route holds nothing at all (no filter set). */
  readonly emptyText: string;
  /** Column headings, when `row` lays a result out in columns. */
  readonly header?: ComponentChildren;
  /** A result's line; its summary by default. */
  row?(event: ProjectedEvent): ComponentChildren;
  /** A result once opened; its record as JSON by default. */
  detail?(event: ProjectedEvent): ComponentChildren;
  /** The services a search can narrow to (the read API's `service`); no choice when absent. */
  readonly services?: readonly string[];
}

const summaryRow = (e: ProjectedEvent) => <div class="line" title={e.summary}><span class="muted">{time(e.atMs)}</span> {e.summary}</div>;
export const recordJson = (e: ProjectedEvent) => <pre>{JSON.stringify(e.record, null, 2)}</pre>;

export function Search({ title, path, testId, emptyText, header, row = summaryRow, detail = recordJson, services }: SearchProps) {
  const [asset, setAsset] = useState('');
  const [service, setService] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [items, setItems] = useState<ProjectedEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loaded, setLoaded] = useState(false);
  const [filtered, setFiltered] = useState(false);

  // Only the latest search may fill the list: an earlier one answering late must not overwrite it.
  const [latest] = useState(() => latestOnly<Page>());
  const load = async (more: boolean) => {
    setError(null);
    try {
      const answer = await latest(getJson<Page>(`${path}${qs({ asset, from, to, service, limit: 100, cursor: more ? cursor : null })}`));
      if (!answer.current) return;
      const page = answer.value;
      setItems(more ? [...items, ...page.items] : page.items);
      setCursor(page.nextCursor);
      setFiltered(Boolean(asset || from || to || service));
      setLoaded(true);
    } catch (e) {
      setError(e);
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
        {services && (
          <select aria-label="service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
            <option value="">every service</option>
            {services.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        )}
        <button type="submit">search</button>
      </form>
      {error !== null && <ErrorBanner error={error} testId={`${testId}-error`} onRetry={() => void load(false)} />}
      <div data-testid={testId} data-loaded={String(loaded)}>
        {header && items.length > 0 && <div class="search-head">{header}</div>}
        {items.map((e) => (
          <div class="result clickable" key={e.id} data-testid={`${testId}-row`} onClick={() => setOpen(open === e.id ? null : e.id)}>
            {row(e)}
            {open === e.id && <div onClick={(click) => click.stopPropagation()}>{detail(e)}</div>}
          </div>
        ))}
      </div>
      {loaded && items.length === 0 && <p class="muted empty" data-testid="empty">{filtered ? 'Nothing matches.' : emptyText}</p>}
      {cursor && <button onClick={() => void load(true)}>older</button>}
    </section>
  );
}
