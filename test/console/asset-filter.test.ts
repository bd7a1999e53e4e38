/** The fleet list's filter: a thousand assets are only usable if one can be found without scrolling. */
import { describe, expect, it } from 'vitest';
import { filterAssets, isFiltering, NO_FILTER, toggle, type AssetRow } from '../../console/src/asset-filter';

const rows: AssetRow[] = [
  { id: 'checkout-eu-1', kind: 'service', region: 'eu-west-1', provider: 'aws', health: 'degraded' },
  { id: 'checkout-us-1', kind: 'service', region: 'us-east-1', provider: 'gcp', health: 'healthy' },
  { id: 'cart-1', kind: 'service', region: 'eu-west-1', provider: 'gcp', health: 'healthy' },
  { id: 'gpu-node-7', kind: 'node', region: 'us-east-1', provider: 'aws', health: 'removed' },
];
const ids = (filter: Partial<typeof NO_FILTER>) => filterAssets(rows, { ...NO_FILTER, ...filter }).map((r) => r.id);

describe('the fleet list filter', () => {
  it('keeps every asset, in order and as the same array, when nothing is set', () => {
    expect(filterAssets(rows, NO_FILTER)).toBe(rows);
    expect(isFiltering({ ...NO_FILTER, text: '   ' })).toBe(false);
  });

  it.each([
    ['checkout', ['checkout-eu-1', 'checkout-us-1']],
    ['CHECKOUT eu', ['checkout-eu-1']],
    ['eu-west-1', ['checkout-eu-1', 'cart-1']],
    ['node aws', ['gpu-node-7']],
    ['gcp cart', ['cart-1']],
    ['nothing-like-this', []],
  ])('text %j keeps the assets with every word in id, kind, region or provider', (text, expected) => {
    expect(ids({ text })).toEqual(expected);
  });

  it('picks a health, a region and a provider, each with the others and the text', () => {
    expect(ids({ health: 'healthy' })).toEqual(['checkout-us-1', 'cart-1']);
    expect(ids({ region: 'eu-west-1', provider: 'gcp' })).toEqual(['cart-1']);
    expect(ids({ health: 'healthy', text: 'checkout' })).toEqual(['checkout-us-1']);
    expect(ids({ region: 'ap-south-1' })).toEqual([]);
  });

  it('toggles a pick off when it is picked again', () => {
    const once = toggle(NO_FILTER, 'region', 'eu-west-1');
    expect(once.region).toBe('eu-west-1');
    expect(toggle(once, 'region', 'eu-west-1').region).toBeNull();
    expect(toggle(once, 'region', 'us-east-1').region).toBe('us-east-1');
  });
});
