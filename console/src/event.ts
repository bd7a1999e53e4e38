/**
 * The read API's event as the console sees it: the projector's own type (a pure module with no
 * imports, so the browser bundle takes its type and nothing else), and helpers to read its record.
 */
import type { ProjectedEvent } from '../../services/projector/src/domain/event';

export type { EventKind, ProjectedEvent } from '../../services/projector/src/domain/event';

/** A page of a list route. */
export interface Page {
  readonly items: ProjectedEvent[];
  readonly nextCursor: string | null;
}

/** A field of an event's record as a string ('' when absent). */
export function text(event: ProjectedEvent, field: string): string {
  const value = event.record[field];
  return value === null || value === undefined ? '' : String(value);
}

/** A field of an event's record as a number (NaN when absent). */
export function num(event: ProjectedEvent, field: string): number {
  const value = event.record[field];
  return typeof value === 'number' ? value : Number.NaN;
}

/** A field of an event's record as a list of strings. */
export function list(event: ProjectedEvent, field: string): string[] {
  const value = event.record[field];
  return Array.isArray(value) ? value.map(String) : [];
}

export const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
