/**
 * What a view says when it has nothing to show: that its history is still loading, that it could not
 * be loaded (the banner above says why; nothing here claims the list is empty), or how to get something there.
 * And how many it has: a count of a list that did not load is not the list's.
 */
import type { ComponentChildren } from 'preact';
import type { ListHistory } from '../history';

export function Empty({ history, children }: { history: ListHistory; children: ComponentChildren }) {
  if (history.state === 'failed') {
    return <p class="muted empty" data-testid="not-loaded">Not loaded: the request for it failed (see above). <button type="button" onClick={history.retry}>retry</button></p>;
  }
  return <p class="muted empty" data-testid="empty">{history.state === 'loading' ? 'Loading history…' : children}</p>;
}

/**
 * A list's count: '—' when its history failed and nothing arrived live since (0 would say the list
 * is empty); when something did, the number, said on hover to be only what arrived live.
 */
export function Count({ n, history }: { n: number; history: ListHistory }) {
  if (history.state !== 'failed') return <>{n}</>;
  return <span data-testid="count-not-loaded" title={n === 0 ? 'not loaded: the request for this list failed' : 'only those heard of live since: the request for this list failed'}>{n === 0 ? '—' : n}</span>;
}
