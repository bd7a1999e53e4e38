/**
 * Validation of the asset lists that snapshot sources (file, HTTP endpoint) serve. One list format
 * for both, so an operator can move a file to an endpoint unchanged:
 *
 *   [{ "assetId": "svc-a", "kind": "service", "name": "A", "provider": "aws", "region": "eu-west-1",
 *      "capabilities": ["gpu"], "complianceTags": ["pci"], "labels": { "team": "core" }, "tenant": "acme" }]
 *
 * `tenant` names the asset's owner: the gateway then refuses telemetry for it from any other tenant.
 *
 * Only `assetId` is required. A bad entry is skipped with its reasons and the rest stand; a list in
 * which every entry is bad fails the poll instead (see `no_valid_entries`).
 */
import type { DiscoveredAsset, ProviderProblem } from '../domain/index';
import { pollProblem } from '../domain/index';

/** What a snapshot document yields. */
export interface ParsedAssetList {
  readonly assets: DiscoveredAsset[];
  readonly problems: ProviderProblem[];
  /** True when the document as a whole is unusable: the provider serves its last good snapshot. */
  readonly failed: boolean;
}

// Same rule as telemetry validation (libs/telemetry): ids become Kafka and Redis keys, so no
// whitespace or control characters, and a leading alphanumeric so a key prefix cannot be forged.
const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;
const MAX_ID = 200;
const MAX_TEXT = 256;
const MAX_ATTRIBUTE = 64;
const MAX_LIST = 64;
const MAX_LABELS = 64;
const KNOWN = new Set(['assetId', 'kind', 'name', 'provider', 'region', 'capabilities', 'complianceTags', 'labels', 'tenant']);

/** Validates a parsed JSON document as an asset list reported by `source` at `nowMs`. */
export function parseAssetList(document: unknown, source: string, nowMs: number): ParsedAssetList {
  if (!Array.isArray(document)) {
    return { assets: [], problems: [pollProblem('not_a_list', `expected a JSON array of assets, got ${describe(document)}`)], failed: true };
  }
  const assets: DiscoveredAsset[] = [];
  const problems: ProviderProblem[] = [];
  const seen = new Set<string>();
  document.forEach((entry: unknown, index) => {
    const asset = parseEntry(entry, index, source, nowMs, problems);
    if (asset === null) return;
    if (seen.has(asset.assetId)) {
      problems.push({ code: 'duplicate_asset', message: `asset ${asset.assetId} is listed again; entry ${index} skipped`, entryIndex: index, assetId: asset.assetId });
      return;
    }
    seen.add(asset.assetId);
    assets.push(asset);
  });
  if (document.length > 0 && assets.length === 0) {
    problems.unshift(pollProblem('no_valid_entries', `none of the ${document.length} entries is a valid asset`));
    return { assets, problems, failed: true };
  }
  return { assets, problems, failed: false };
}

function parseEntry(entry: unknown, index: number, source: string, nowMs: number, problems: ProviderProblem[]): DiscoveredAsset | null {
  if (!isRecord(entry)) {
    problems.push({ code: 'invalid_entry', message: `entry ${index} must be an object, got ${describe(entry)}`, entryIndex: index, assetId: null });
    return null;
  }
  const reasons: string[] = [];
  const id = entry.assetId;
  const assetId = typeof id === 'string' && id.length <= MAX_ID && ASSET_ID.test(id) ? id : null;
  if (assetId === null) reasons.push(`assetId must be a string of at most ${MAX_ID} characters in [A-Za-z0-9._:/@-] starting with a letter or digit, got ${describe(id)}`);
  const asset: DiscoveredAsset = {
    assetId: assetId ?? '',
    kind: text(entry, 'kind', MAX_ATTRIBUTE, reasons),
    name: text(entry, 'name', MAX_TEXT, reasons),
    // Lower-cased as telemetry validation does: sources disagree on case (AWS, aws) and the router joins on these.
    provider: text(entry, 'provider', MAX_ATTRIBUTE, reasons)?.toLowerCase() ?? null,
    region: text(entry, 'region', MAX_ATTRIBUTE, reasons)?.toLowerCase() ?? null,
    capabilities: list(entry, 'capabilities', reasons),
    complianceTags: list(entry, 'complianceTags', reasons),
    labels: labels(entry, reasons),
    tenant: text(entry, 'tenant', MAX_ATTRIBUTE, reasons),
    source,
    observedAtMs: nowMs,
  };
  if (reasons.length > 0) {
    problems.push({ code: 'invalid_entry', message: `entry ${index}: ${reasons.join('; ')}`, entryIndex: index, assetId });
    return null;
  }
  const unknown = Object.keys(entry).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) {
    problems.push({ code: 'unknown_field', message: `entry ${index}: unknown field(s) ${unknown.join(', ')} ignored`, entryIndex: index, assetId });
  }
  return asset;
}

function text(entry: Record<string, unknown>, field: string, max: number, reasons: string[]): string | null {
  const value = entry[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim().length > 0 && value.length <= max) return value.trim();
  reasons.push(`${field} must be a non-empty string of at most ${max} characters, got ${describe(value)}`);
  return null;
}

function list(entry: Record<string, unknown>, field: string, reasons: string[]): string[] {
  const value = entry[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.length <= MAX_LIST && value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ATTRIBUTE)) {
    return value as string[];
  }
  reasons.push(`${field} must be an array of at most ${MAX_LIST} non-empty strings of at most ${MAX_ATTRIBUTE} characters`);
  return [];
}

// `Object.fromEntries`, not assignment: a label named `__proto__` stays an ordinary label.
function labels(entry: Record<string, unknown>, reasons: string[]): Record<string, string> {
  const value = entry.labels;
  if (value === undefined || value === null) return {};
  const entries = isRecord(value) ? Object.entries(value) : null;
  if (entries !== null && entries.length <= MAX_LABELS && entries.every(([k, v]) => k.length > 0 && k.length <= MAX_ATTRIBUTE && typeof v === 'string' && v.length <= MAX_TEXT)) {
    return Object.fromEntries(entries) as Record<string, string>;
  }
  reasons.push(`labels must be an object of at most ${MAX_LABELS} string values (keys up to ${MAX_ATTRIBUTE}, values up to ${MAX_TEXT} characters)`);
  return {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Never the value itself: messages are logged, and a payload may be large or sensitive.
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
