/**
 * A decision list's rows and the ones its filter keeps, each computed only when needed: the rows when
 * the store changes (a burst of live events is one change per frame, see ./use-store.ts), and then
 * only those of new or changed events (./row-cache.ts); the kept ones when the rows or the filter
 * change. A keystroke is then one pass over the rows' lower-cased text.
 */
import { useMemo } from 'preact/hooks';
import type { EventStore } from './event-store';
import { filterRows, type ListFilter, type Searchable } from './list-filter';
import { createRowCache, type RowCache } from './row-cache';

export type { RowCache } from './row-cache';

export interface Filtered<T> {
  readonly all: readonly T[];
  readonly shown: readonly T[];
}

/** `rowsOf` reads the store; it is called again only when the store's version moves. */
export function useFiltered<F extends string, T extends Searchable<F>>(store: EventStore, rowsOf: (store: EventStore, cached: RowCache<T>) => readonly T[], filter: ListFilter<F>): Filtered<T> {
  const version = store.version;
  const cached = useMemo(() => createRowCache<T>(), [store]);
  const all = useMemo(() => rowsOf(store, cached), [store, version]);
  const shown = useMemo(() => filterRows(all, filter), [all, filter]);
  return { all, shown };
}
