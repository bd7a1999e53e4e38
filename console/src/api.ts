/**
 * The console's client of the gateway's read API: same origin, the API token as a Bearer header.
 * The token is asked for once and kept in localStorage (the console has no account of its own).
 */
import type { Page, ProjectedEvent } from './event';

const TOKEN_KEY = 'maestro.console.token';

export const savedToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string): void => localStorage.setItem(TOKEN_KEY, token.trim());
export const forgetToken = (): void => localStorage.removeItem(TOKEN_KEY);

/** A refusal from the gateway, in its one shape, or a network failure. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly reasons: readonly string[]) {
    super(`${status} ${code}${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
  }
}

export function authHeader(): Record<string, string> {
  const token = savedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: authHeader(), signal: signal ?? null });
  const body = (await response.json().catch(() => ({}))) as { refused?: { code?: string; reasons?: string[] } };
  if (!response.ok) throw new ApiError(response.status, body.refused?.code ?? 'http_error', body.refused?.reasons ?? []);
  return body as T;
}

/** Query string of the set parameters. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** Every page of a list route up to `max` items (the route's own order: newest first). */
export async function getAll(path: string, params: Record<string, string | number | null>, max: number): Promise<ProjectedEvent[]> {
  const items: ProjectedEvent[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await getJson<Page>(`${path}${qs({ ...params, limit: 500, cursor })}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}
