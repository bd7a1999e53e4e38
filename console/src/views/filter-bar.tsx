/**
 * The filter of a decision list: a text box, the counts of each facet (a click keeps only that value;
 * again: all), how many rows are shown, and what to say when none is. The filter itself lives in
 * main.tsx, so that it is still set when the user comes back from an asset's page.
 */
import { useMemo } from 'preact/hooks';
import { countsOf, describeFilter, isFiltering, noFilter, toggle, type ListFilter, type Searchable } from '../list-filter';

export interface FilterBarProps<F extends string> {
  /** Names the test ids: `${id}-filter`, `${id}-shown`, `${id}-pick-<facet>`. */
  readonly id: string;
  /** What a row is, for the message when none is shown: "No incident matches …". */
  readonly noun: string;
  readonly all: readonly Searchable<F>[];
  readonly shown: number;
  readonly facets: readonly F[];
  readonly placeholder: string;
  readonly filter: ListFilter<F>;
  setFilter(filter: ListFilter<F>): void;
}

export function FilterBar<F extends string>({ id, noun, all, shown, facets, placeholder, filter, setFilter }: FilterBarProps<F>) {
  // Counted when the rows change, not on each keystroke: typing scans the rows once, in filterRows.
  const counts = useMemo(() => facets.map((facet) => [facet, countsOf(all, facet)] as const), [all, facets]);
  if (all.length === 0) return null;
  return (
    <div class="list-filter">
      <div class="facets">
        {counts.map(([facet, values]) => (
          <div class="facet"><span class="muted">{facet}</span>
            {values.map(([value, n]) => (
              <button type="button" class={`pill pick${filter.picks[facet] === value ? ' picked' : ''}`} data-testid={`${id}-pick-${facet}`} data-value={value} title={`only ${facet} ${value} (again: all)`} onClick={() => setFilter(toggle(filter, facet, value))}>{value} <b>{n}</b></button>
            ))}
          </div>
        ))}
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <input class="asset-filter" data-testid={`${id}-filter`} placeholder={placeholder} value={filter.text} onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
        {isFiltering(filter) && <span class="muted" data-testid={`${id}-shown`}>{shown} of {all.length} shown</span>}
        {isFiltering(filter) && <button type="button" onClick={() => setFilter(noFilter())}>clear filters</button>}
      </form>
      {shown === 0 && <p class="muted empty" data-testid="empty">No {noun} of {all.length} matches {describeFilter(filter)}.</p>}
    </div>
  );
}
