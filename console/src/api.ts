/**
 * The console's client of the gateway's read API: same origin, the API token as a Bearer header.
 * The token is asked for once and kept in localStorage (the console has no account of its own).
 */
import { refusalOf, unreachable } from './api-error';
import type { Page, ProjectedEvent } from './event';

const TOKEN_KEY = 'maestro.console.token';

export const savedToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string): void => localStorage.setItem(TOKEN_KEY, token.trim());
export const forgetToken = (): void => localStorage.removeItem(TOKEN_KEY);

export function authHeader(): Record<string, string> {
  const token = savedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** GETs a read route; a refusal, a proxy's error page or no answer at all is an ApiError. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: authHeader(), signal: signal ?? null });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw unreachable(location.origin, error);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw refusalOf(response.status, response.statusText, body);
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
export async function getAll(path: string, params: Record<string, string | number | null>, max: number, signal?: AbortSignal): Promise<ProjectedEvent[]> {
  const items: ProjectedEvent[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await getJson<Page>(`${path}${qs({ ...params, limit: 500, cursor })}`, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}
