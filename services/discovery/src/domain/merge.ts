/**
 * Field-wise merge of what several sources say about one asset. The rules:
 *
 * - Sources speak in precedence order (higher first; ties by name). With the default catalog that is
 *   static file > HTTP endpoint > telemetry: a file is edited by an operator on purpose, an
 *   endpoint (a CMDB) is curated but generated, telemetry is whatever an agent was started with.
 * - `kind`, `name`, `provider`, `region`, `tenant`: the first source with a non-empty value wins; `kind`
 *   falls back to the Avro default `service`.
 * - `labels`: the union of every source's labels; on a key both carry, the higher source's value.
 * - `capabilities` and `complianceTags`: each taken whole from the first source whose list is
 *   non-empty, never unioned. They are router filters and attestations: a union would let a
 *   low-trust source (an agent's own claim) add an attestation the authoritative source withholds.
 * - Lists are de-duplicated and sorted and labels sorted by key, so equal content compares equal
 *   and publishing stays byte-stable (no churn from a source that reorders its output).
 */
import type { DiscoveredAsset } from './asset';
import { compareSources } from './catalog';
import type { ResolvedDiscoveryConfig } from './config';

/** The merged, publishable attributes of one asset (the `AssetEvent` fields a source can affect). */
export interface MergedAsset {
  /** @default "service" */
  readonly kind: string;
  readonly name: string | null;
  readonly provider: string | null;
  readonly region: string | null;
  readonly capabilities: readonly string[];
  readonly complianceTags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Owner of the asset: an inventory's word beats the tenant telemetry was accepted under. */
  readonly tenant: string | null;
  /** Names of the contributing sources, highest precedence first. */
  readonly sources: readonly string[];
}

/** The Avro default of `AssetEvent.kind`, used when no source names the kind. */
export const DEFAULT_KIND = 'service';

/** Merges the contributions of one asset (one per source, any order) by the rules above. */
export function mergeContributions(contributions: readonly DiscoveredAsset[], config: ResolvedDiscoveryConfig): MergedAsset {
  const ordered = [...contributions].sort((a, b) => compareSources(config, a.source, b.source));
  return {
    kind: firstText(ordered, (c) => c.kind) ?? DEFAULT_KIND,
    name: firstText(ordered, (c) => c.name),
    provider: firstText(ordered, (c) => c.provider),
    region: firstText(ordered, (c) => c.region),
    tenant: firstText(ordered, (c) => c.tenant ?? null),
    capabilities: canonicalList(ordered.find((c) => canonicalList(c.capabilities).length > 0)?.capabilities ?? []),
    complianceTags: canonicalList(ordered.find((c) => canonicalList(c.complianceTags).length > 0)?.complianceTags ?? []),
    labels: mergeLabels(ordered),
    sources: [...new Set(ordered.map((c) => c.source))],
  };
}

/** De-duplicated, sorted, without empty strings: the one form a list is compared and published in. */
export function canonicalList(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v.trim().length > 0))].sort();
}

function firstText(ordered: readonly DiscoveredAsset[], pick: (c: DiscoveredAsset) => string | null): string | null {
  for (const c of ordered) {
    const value = pick(c);
    if (value !== null && value.trim().length > 0) return value;
  }
  return null;
}

// Built through a Map and `Object.fromEntries` rather than `Object.assign`: a label named
// `__proto__` stays an ordinary label instead of replacing the result's prototype.
function mergeLabels(ordered: readonly DiscoveredAsset[]): Record<string, string> {
  const merged = new Map<string, string>();
  for (const c of ordered) {
    for (const [key, value] of Object.entries(c.labels)) {
      if (!merged.has(key)) merged.set(key, value);
    }
  }
  return Object.fromEntries([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
