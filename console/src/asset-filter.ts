/**
 * Which assets the fleet list shows: a text filter (every word must appear in the asset's id, kind,
 * region or provider, in any case) and, at most one each, a health, a region and a provider picked
 * from the fleet's cards. Pure, so it is unit-tested (test/console/asset-filter.test.ts).
 */
import type { Health } from './event-store';

/** An asset as the fleet list shows it. */
export interface AssetRow {
  readonly id: string;
  readonly kind: string;
  readonly region: string;
  readonly provider: string;
  readonly health: Health;
}

export interface AssetFilter {
  readonly text: string;
  readonly health: Health | null;
  readonly region: string | null;
  readonly provider: string | null;
}

export const NO_FILTER: AssetFilter = { text: '', health: null, region: null, provider: null };

/** True when the filter narrows the list at all. */
export const isFiltering = (f: AssetFilter): boolean => f.text.trim() !== '' || f.health !== null || f.region !== null || f.provider !== null;

/** The rows the filter keeps, in their order. */
export function filterAssets<T extends AssetRow>(rows: readonly T[], filter: AssetFilter): readonly T[] {
  if (!isFiltering(filter)) return rows;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filter.health !== null && row.health !== filter.health) return false;
    if (filter.region !== null && row.region !== filter.region) return false;
    if (filter.provider !== null && row.provider !== filter.provider) return false;
    if (words.length === 0) return true;
    const haystack = `${row.id}\n${row.kind}\n${row.region}\n${row.provider}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** The filter with one of its picks toggled: picking the value already picked clears it. */
export function toggle<K extends 'health' | 'region' | 'provider'>(filter: AssetFilter, key: K, value: AssetFilter[K]): AssetFilter {
  return { ...filter, [key]: filter[key] === value ? null : value };
}
