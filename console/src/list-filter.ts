/**
 * Which rows a decision list shows (Incidents, Recommendations, Routing): a text filter, every word
 * of which must appear in the row's visible fields in any case, and at most one picked value per
 * facet — a small categorical field such as an anomaly's kind or a decision's outcome, picked from
 * its counts. Each view says what a row is found by (`searchable`); the filtering is the same for all.
 * Pure, so it is unit-tested (test/console/list-filter.test.ts).
 */

/** A row as the filter sees it. */
export interface Searchable<F extends string> {
  /**
   * The row's visible fields, lower-cased once when the row is made rather than on every keystroke,
   * one per line so that a word never matches across two fields.
   */
  readonly haystack: string;
  /** The row's value of each facet, as shown on its count. */
  readonly facets: Readonly<Record<F, string>>;
}

/** What the user typed and picked. */
export interface ListFilter<F extends string> {
  readonly text: string;
  readonly picks: Readonly<Partial<Record<F, string>>>;
}

/** Shows every row. */
export const noFilter = <F extends string>(): ListFilter<F> => ({ text: '', picks: {} as Partial<Record<F, string>> });

/** A row's searchable part: `fields` are what the row shows (empty ones are left out). */
export function searchable<F extends string>(fields: readonly (string | null | undefined)[], facets: Record<F, string>): Searchable<F> {
  return { haystack: fields.filter((f) => f).join('\n').toLowerCase(), facets };
}

const wordsOf = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean);

const picksOf = <F extends string>(filter: ListFilter<F>): [F, string][] =>
  (Object.entries(filter.picks) as [F, string | undefined][]).filter((p): p is [F, string] => p[1] !== undefined);

/** True when the filter narrows the list at all. */
export const isFiltering = <F extends string>(filter: ListFilter<F>): boolean => wordsOf(filter.text).length > 0 || picksOf(filter).length > 0;

/** The rows the filter keeps, in their order; the same array when it keeps them all. */
export function filterRows<F extends string, T extends Searchable<F>>(rows: readonly T[], filter: ListFilter<F>): readonly T[] {
  if (!isFiltering(filter)) return rows;
  const words = wordsOf(filter.text);
  const picks = picksOf(filter);
  return rows.filter((row) => picks.every(([facet, value]) => row.facets[facet] === value) && words.every((w) => row.haystack.includes(w)));
}

/** The filter with a facet's pick toggled: picking the value already picked clears it. */
export function toggle<F extends string>(filter: ListFilter<F>, facet: NoInfer<F>, value: string): ListFilter<F> {
  const picks: Partial<Record<F, string>> = { ...filter.picks };
  if (picks[facet] === value) delete picks[facet];
  else picks[facet] = value;
  return { ...filter, picks };
}

/** How many rows have each value of a facet, most first (then by name): the counts the user picks from. */
export function countsOf<F extends string>(rows: readonly Searchable<F>[], facet: F): [value: string, count: number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.facets[facet], (counts.get(row.facets[facet]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The filter in words, for a list it left empty: `“node 7”, action scale_in`. */
export function describeFilter<F extends string>(filter: ListFilter<F>): string {
  const text = filter.text.trim().replace(/\s+/g, ' ');
  return [...(text !== '' ? [`“${text}”`] : []), ...picksOf(filter).map(([facet, value]) => `${facet} ${value}`)].join(', ');
}
