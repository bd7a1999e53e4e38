/**
 * The decision lists' filter (Incidents, Recommendations, Routing): thousands of decisions are only
 * usable if the ones about an asset, a region or an outcome can be found without scrolling.
 */
import { describe, expect, it } from 'vitest';
import { countsOf, describeFilter, filterRows, isFiltering, noFilter, searchable, toggle, type ListFilter, type Searchable } from '../../console/src/list-filter';

type Facet = 'outcome' | 'region';
type Row = Searchable<Facet> & { readonly id: string };
const row = (id: string, fields: string[], outcome: string, region: string): Row => ({ id, ...searchable<Facet>([id, ...fields, outcome, region], { outcome, region }) });

const rows: Row[] = [
  row('job-1', ['node-0001', 'batch'], 'routed', 'eu-west-1'),
  row('job-2', ['node-0002', 'Interactive'], 'routed', 'us-east-1'),
  row('job-3', ['no_eligible_candidate'], 'refused', '—'),
  row('job-10', ['node-0010', 'batch'], 'routed', 'eu-west-1'),
];
const filter = (f: Partial<ListFilter<Facet>>): ListFilter<Facet> => ({ ...noFilter<Facet>(), ...f });
const ids = (f: Partial<ListFilter<Facet>>) => filterRows(rows, filter(f)).map((r) => r.id);

describe('the decision lists\' filter', () => {
  it('keeps every row, in order and as the same array, when nothing is typed or picked', () => {
    expect(filterRows(rows, noFilter())).toBe(rows);
    expect(filterRows(rows, filter({ text: ' \t ' }))).toBe(rows);
    expect(isFiltering(filter({ text: '   ' }))).toBe(false);
    expect(isFiltering(filter({ text: 'x' }))).toBe(true);
    expect(isFiltering(filter({ picks: { region: 'eu-west-1' } }))).toBe(true);
  });

  it.each([
    ['job-1', ['job-1', 'job-10']],
    ['JOB-1 batch', ['job-1', 'job-10']],
    ['batch eu-west routed', ['job-1', 'job-10']],
    ['interactive', ['job-2']],
    ['  node-0002   us-east-1 ', ['job-2']],
    ['refused', ['job-3']],
    ['eligible', ['job-3']],
    ['batch refused', []],
    ['nothing-like-this', []],
  ])('text %j keeps the rows with every word somewhere in their fields, in any case', (text, expected) => {
    expect(ids({ text })).toEqual(expected);
  });

  it('does not match a word across two fields', () => {
    // Fields joined without a separator would read 'job-1node-0001batchroutedeu-west-1'.
    expect(ids({ text: 'job-1node' })).toEqual([]);
    expect(ids({ text: 'batchrouted' })).toEqual([]);
    expect(ids({ text: 'routedeu' })).toEqual([]);
  });

  it('leaves out empty fields rather than matching them', () => {
    const r = searchable<Facet>(['A', '', null, undefined, 'b'], { outcome: 'routed', region: '—' });
    expect(r.haystack).toBe('a\nb');
  });

  it('picks a value per facet, each with the others and with the text', () => {
    expect(ids({ picks: { outcome: 'routed' } })).toEqual(['job-1', 'job-2', 'job-10']);
    expect(ids({ picks: { outcome: 'routed', region: 'eu-west-1' } })).toEqual(['job-1', 'job-10']);
    expect(ids({ picks: { region: 'eu-west-1' }, text: 'node-0010' })).toEqual(['job-10']);
    expect(ids({ picks: { outcome: 'refused', region: 'eu-west-1' } })).toEqual([]);
    // A pick is the whole value, not a word of it.
    expect(ids({ picks: { region: 'eu-west' } })).toEqual([]);
  });

  it('toggles a pick off when it is picked again, and leaves the other facets and the text alone', () => {
    const once = toggle(filter({ text: 'batch', picks: { outcome: 'routed' } }), 'region', 'eu-west-1');
    expect(once).toEqual({ text: 'batch', picks: { outcome: 'routed', region: 'eu-west-1' } });
    const twice = toggle(once, 'region', 'eu-west-1');
    expect(twice).toEqual({ text: 'batch', picks: { outcome: 'routed' } });
    expect(isFiltering(toggle(twice, 'outcome', 'routed'))).toBe(true);
    expect(isFiltering(toggle(filter({ picks: { outcome: 'routed' } }), 'outcome', 'routed'))).toBe(false);
    expect(toggle(once, 'region', 'us-east-1').picks.region).toBe('us-east-1');
    // A new object: a view memoised on the filter sees the change.
    expect(once.picks).not.toBe(twice.picks);
  });

  it('counts each facet\'s values over every row, most first, then by name', () => {
    expect(countsOf(rows, 'outcome')).toEqual([['routed', 3], ['refused', 1]]);
    expect(countsOf(rows, 'region')).toEqual([['eu-west-1', 2], ['—', 1], ['us-east-1', 1]]);
    expect(countsOf([], 'region')).toEqual([]);
  });

  it.each([
    [{ text: 'node  0010 ' }, '“node 0010”'],
    [{ picks: { outcome: 'refused' } }, 'outcome refused'],
    [{ text: 'Batch', picks: { outcome: 'routed', region: 'eu-west-1' } }, '“Batch”, outcome routed, region eu-west-1'],
    [{}, ''],
  ])('says the filter %j in words for an empty list', (f, expected) => {
    expect(describeFilter(filter(f))).toBe(expected);
  });
});
