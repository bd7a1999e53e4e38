/**
 * The rows a decision list made of its events, kept between renders: a frame of a live burst makes
 * rows only for the events that are new or whose row would read differently, not for all 10,000
 * (remaking 12,500 incident rows took about 150 ms). No preact here, so that it is unit-tested in
 * Node (test/console/row-cache.test.ts) without the DOM's types.
 */
import type { ProjectedEvent } from './event';

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
