/**
 * What a view says when it has nothing to show: that its history is still loading, that it could not
 * be loaded (the banner above says why; nothing here claims the list is empty), or how to get something there.
 */
import type { ComponentChildren } from 'preact';
import type { ListHistory } from '../history';

export function Empty({ history, children }: { history: ListHistory; children: ComponentChildren }) {
  if (history.state === 'failed') {
    return <p class="muted empty" data-testid="not-loaded">Not loaded: the request for this list failed (see above). <button type="button" onClick={history.retry}>retry</button></p>;
  }
  return <p class="muted empty" data-testid="empty">{history.state === 'loading' ? 'Loading history…' : children}</p>;
}
