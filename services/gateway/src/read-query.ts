/**
 * The read API's query language, pure: parameters to a checked query, opaque cursors, and the one
 * filter that both the pages (./read-model-store.ts) and the live stream (./events-route.ts) apply,
 * so a page and the stream never disagree about what matches.
 */
import { EVENT_KINDS, isEventKind, type EventKind, type ProjectedEvent } from '@maestro/projector';

/** Largest page; `limit` above it is refused rather than silently cut. */
export const MAX_LIMIT = 500;
/** Page size when `limit` is not given. */
export const DEFAULT_LIMIT = 50;

/** Where a page resumes: after the event `member` with score `score` (newest first). */
export interface Cursor {
  readonly score: number;
  readonly member: string;
}

/** A checked query. */
export interface ReadQuery {
  readonly limit: number;
  readonly cursor: Cursor | null;
  readonly assetId: string | null;
  /** Kinds to keep; empty keeps every kind the route serves. */
  readonly kinds: readonly EventKind[];
  /** Anomalies at or above this severity; events without a severity do not match when it is set. */
  readonly minSeverity: number | null;
  /** Inclusive bounds on the event time, epoch ms. */
  readonly fromMs: number | null;
  readonly toMs: number | null;
  /** Only audit records this service wrote (`record.service`); other events do not match when it is set. */
  readonly service: string | null;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reasons: readonly string[] };

/** The cursor as the caller sees it: base64url of a small JSON. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.score, cursor.member]), 'utf8').toString('base64url');
}

/** The cursor a caller sent back, or null when it is not one of ours. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [score, member] = parsed as [unknown, unknown];
    if (typeof score !== 'number' || !Number.isFinite(score) || typeof member !== 'string' || member === '') return null;
    return { score, member };
  } catch {
    return null;
  }
}

/** A time given as epoch ms or as an ISO 8601 date. */
function parseTime(name: string, raw: string, reasons: string[]): number | null {
  const asNumber = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(asNumber)) return asNumber;
  const parsed = Date.parse(raw);
  if (Number.isFinite(parsed)) return parsed;
  reasons.push(`${name} must be epoch milliseconds or an ISO 8601 time, got '${raw}'`);
  return null;
}

const single = (value: unknown): string | undefined => (Array.isArray(value) ? (value.at(-1) as unknown) : value) as string | undefined;

/** `limit` and `cursor`, shared by every paged route; problems are added to `reasons`. */
export function parsePaging(rawLimit: string | undefined, rawCursor: string | undefined, reasons: string[]): { limit: number; cursor: Cursor | null } {
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) reasons.push(`limit must be an integer from 1 to ${MAX_LIMIT}, got '${rawLimit}'`);
  const cursor = rawCursor === undefined || rawCursor === '' ? null : decodeCursor(rawCursor);
  if (rawCursor && !cursor) reasons.push('cursor is not one this API returned; start again without it');
  return { limit, cursor };
}

/** The parameters a route accepts beyond the common ones. */
export const QUERY_PARAMETERS = ['limit', 'cursor', 'asset', 'kind', 'severity', 'from', 'to', 'service'] as const;

/**
 * Checks the query string of a list route. `allowedKinds` are the kinds the route serves; `kind`
 * may narrow them (comma-separated). Unknown parameters are refused, so a typo never silently
 * widens a query.
 */
export function parseReadQuery(params: Readonly<Record<string, unknown>>, allowedKinds: readonly EventKind[] = EVENT_KINDS, extra: readonly string[] = []): Parsed<ReadQuery> {
  const reasons: string[] = [];
  for (const name of Object.keys(params)) {
    if (!(QUERY_PARAMETERS as readonly string[]).includes(name) && !extra.includes(name)) reasons.push(`unknown parameter '${name}'; known: ${[...QUERY_PARAMETERS, ...extra].join(', ')}`);
  }
  const text = (name: string): string | undefined => single(params[name]);

  const { limit, cursor } = parsePaging(text('limit'), text('cursor'), reasons);
  const rawAsset = text('asset');
  const assetId = rawAsset === undefined || rawAsset === '' ? null : rawAsset;
  let kinds: EventKind[] = [];
  const rawKind = text('kind');
  if (rawKind !== undefined && rawKind !== '') {
    for (const k of rawKind.split(',').map((s) => s.trim())) {
      if (!isEventKind(k) || !allowedKinds.includes(k)) reasons.push(`kind '${k}' is not served here; one of: ${allowedKinds.join(', ')}`);
      else kinds.push(k);
    }
  }
  if (kinds.length === 0) kinds = allowedKinds.length === EVENT_KINDS.length ? [] : [...allowedKinds];
  let minSeverity: number | null = null;
  const rawSeverity = text('severity');
  if (rawSeverity !== undefined && rawSeverity !== '') {
    minSeverity = Number(rawSeverity);
    if (!Number.isFinite(minSeverity) || minSeverity < 0 || minSeverity > 1) reasons.push(`severity is a minimum in [0, 1], got '${rawSeverity}'`);
  }
  const rawFrom = text('from');
  const rawTo = text('to');
  const fromMs = rawFrom === undefined || rawFrom === '' ? null : parseTime('from', rawFrom, reasons);
  const toMs = rawTo === undefined || rawTo === '' ? null : parseTime('to', rawTo, reasons);
  if (fromMs !== null && toMs !== null && fromMs > toMs) reasons.push(`from (${fromMs}) is after to (${toMs})`);
  const rawService = text('service');
  const service = rawService === undefined || rawService === '' ? null : rawService;
  // A filter on audit records only: where none is served it could only ever answer nothing.
  if (service !== null && !allowedKinds.includes('audit')) reasons.push(`service filters audit records, which are not served here (${allowedKinds.join(', ')})`);
  else if (service !== null && kinds.length > 0 && !kinds.includes('audit')) reasons.push(`service filters audit records; kind '${kinds.join(',')}' leaves none`);

  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, value: { limit, cursor, assetId, kinds, minSeverity, fromMs, toMs, service } };
}

/** True when `event` is one the query asks for (time bounds included). */
export function matchesQuery(event: ProjectedEvent, query: Pick<ReadQuery, 'assetId' | 'kinds' | 'minSeverity' | 'fromMs' | 'toMs' | 'service'>): boolean {
  if (query.kinds.length > 0 && !query.kinds.includes(event.kind)) return false;
  if (query.service !== null && (event.kind !== 'audit' || event.record['service'] !== query.service)) return false;
  if (query.assetId !== null && !event.assetIds.includes(query.assetId)) return false;
  if (query.minSeverity !== null && (event.severity === null || event.severity < query.minSeverity)) return false;
  if (query.fromMs !== null && event.atMs < query.fromMs) return false;
  if (query.toMs !== null && event.atMs > query.toMs) return false;
  return true;
}
