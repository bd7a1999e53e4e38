/** The fleet list's filter: a thousand assets are only usable if one can be found without scrolling. */
import { describe, expect, it } from 'vitest';
import { assetRow, type FleetFacet } from '../../console/src/fleet-row';
import { filterRows, isFiltering, noFilter, toggle, type ListFilter } from '../../console/src/list-filter';

const rows = [
  assetRow({ id: 'checkout-eu-1', kind: 'service', region: 'eu-west-1', provider: 'aws', health: 'degraded' }),
  assetRow({ id: 'checkout-us-1', kind: 'service', region: 'us-east-1', provider: 'gcp', health: 'healthy' }),
  assetRow({ id: 'cart-1', kind: 'service', region: 'eu-west-1', provider: 'gcp', health: 'healthy' }),
  assetRow({ id: 'gpu-node-7', kind: 'node', region: 'us-east-1', provider: 'aws', health: 'removed' }),
];
const NO_FILTER = noFilter<FleetFacet>();
const ids = (filter: Partial<ListFilter<FleetFacet>>) => filterRows(rows, { ...NO_FILTER, ...filter }).map((r) => r.id);

describe('the fleet list filter', () => {
  it('keeps every asset, in order and as the same array, when nothing is set', () => {
    expect(filterRows(rows, NO_FILTER)).toBe(rows);
    expect(isFiltering({ ...NO_FILTER, text: '   ' })).toBe(false);
  });

  it.each([
    ['checkout', ['checkout-eu-1', 'checkout-us-1']],
    ['CHECKOUT eu', ['checkout-eu-1']],
    ['eu-west-1', ['checkout-eu-1', 'cart-1']],
    ['node aws', ['gpu-node-7']],
    ['gcp cart', ['cart-1']],
    ['nothing-like-this', []],
    // A word never spans two fields (id and kind, region and provider).
    ['cart-1service', []],
    ['eu-west-1aws', []],
  ])('text %j keeps the assets with every word in id, kind, region or provider', (text, expected) => {
    expect(ids({ text })).toEqual(expected);
  });

  it('picks a health, a region and a provider, each with the others and the text', () => {
    expect(ids({ picks: { health: 'healthy' } })).toEqual(['checkout-us-1', 'cart-1']);
    expect(ids({ picks: { region: 'eu-west-1', provider: 'gcp' } })).toEqual(['cart-1']);
    expect(ids({ picks: { health: 'healthy' }, text: 'checkout' })).toEqual(['checkout-us-1']);
    expect(ids({ picks: { region: 'ap-south-1' } })).toEqual([]);
  });

  it('toggles a pick off when it is picked again', () => {
    const once = toggle(NO_FILTER, 'region', 'eu-west-1');
    expect(once.picks.region).toBe('eu-west-1');
    expect(toggle(once, 'region', 'eu-west-1').picks.region).toBeUndefined();
    expect(toggle(once, 'region', 'us-east-1').picks.region).toBe('us-east-1');
  });

  it('keeps the asset\'s own fields beside what the filter reads', () => {
    const row = assetRow({ id: 'Cart-1', kind: 'service', region: '—', provider: 'aws', health: 'healthy', extra: 7 });
    expect(row).toMatchObject({ id: 'Cart-1', extra: 7, haystack: 'cart-1\nservice\n—\naws', facets: { health: 'healthy', region: '—', provider: 'aws' } });
  });
});
