/** What a view says when it has nothing to show: that its history is still loading, or how to get something there. */
import type { ComponentChildren } from 'preact';

export function Empty({ loading, children }: { loading: boolean; children: ComponentChildren }) {
  return <p class="muted empty" data-testid="empty">{loading ? 'Loading history…' : children}</p>;
}
