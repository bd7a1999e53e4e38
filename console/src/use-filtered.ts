/**
 * A decision list's rows and the ones its filter keeps, each computed only when needed: the rows when
 * the store changes (a burst of live events is one change per frame, see ./use-store.ts), the kept
 * ones when the rows or the filter change. A keystroke is then one pass over the rows' lower-cased
 * text; a frame of a live burst makes rows only for the events that are new or whose row would read
 * differently, not for all 10,000 (which cost about 150 ms a frame when remade).
 */
import { useMemo } from 'preact/hooks';
import type { ProjectedEvent } from './event';
import type { EventStore } from './event-store';
import { filterRows, type ListFilter, type Searchable } from './list-filter';

/**
 * The row made of an event before, while `key` is the same: `key` names what the row reads besides
 * the event itself (an incident's actions and results, a routing decision's chosen asset).
 */
export type RowCache<T> = (event: ProjectedEvent, key: string, make: () => T) => T;

/** An empty cache; weak, so that an event the store trims takes its row with it. */
export function createRowCache<T>(): RowCache<T> {
  const rows = new WeakMap<ProjectedEvent, { key: string; row: T }>();
  return (event, key, make) => {
    const hit = rows.get(event);
    if (hit !== undefined && hit.key === key) return hit.row;
    const row = make();
    rows.set(event, { key, row });
    return row;
  };
}

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
