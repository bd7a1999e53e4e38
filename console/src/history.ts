/**
 * What the console loads when it opens, per list route, before the live stream adds to it: enough for
 * the views (a fleet of 10,000 assets, the recent incidents), little enough to open in a second or two.
 */
export const HISTORY: readonly (readonly [path: string, max: number])[] = [
  ['/v1/assets', 10_000],
  ['/v1/anomalies', 2_000],
  ['/v1/actions', 2_000],
  ['/v1/recommendations', 1_000],
  ['/v1/routing-decisions', 500],
  ['/v1/plans', 500],
  ['/v1/audit', 2_000],
];

/**
 * How a view's history load went. A view whose route failed holds only what arrived live since: it
 * must not say it has nothing (the banner above says what failed), so it says it is not loaded.
 */
export interface ListHistory {
  readonly state: 'loading' | 'loaded' | 'failed';
  /** Asks for the history again (every route, as the banner's retry does). */
  retry(): void;
}
