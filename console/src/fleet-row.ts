/**
 * The fleet list's rows, for the filter every list shares (./list-filter.ts): an asset is found by
 * the words of its id, kind, region and provider, in any case, and picked by its health, region or
 * provider from the fleet's cards. Pure, so it is unit-tested (test/console/fleet-row.test.ts).
 */
import type { Health } from './event-store';
import { searchable, type Searchable } from './list-filter';

/** What the fleet's cards pick by. */
export type FleetFacet = 'health' | 'region' | 'provider';

/** An asset as the fleet list shows it ('—' for a region or provider it has not said). */
export interface AssetFields {
  readonly id: string;
  readonly kind: string;
  readonly region: string;
  readonly provider: string;
  readonly health: Health;
}

/** The asset with what the filter reads: its shown fields, lower-cased once, and its picks. */
export function assetRow<T extends AssetFields>(asset: T): T & Searchable<FleetFacet> {
  return { ...asset, ...searchable<FleetFacet>([asset.id, asset.kind, asset.region, asset.provider], { health: asset.health, region: asset.region, provider: asset.provider }) };
}
