/**
 * Seeded synthetic demand, one value per second: the load shapes every autoscaler must handle, with
 * the noise real request counts have (Poisson arrivals around a rate that itself wanders), so that
 * a policy tuned here meets noise rather than clean curves.
 *
 * - `daily`: eight days of a two-peak daily cycle, weekends at 60 %, around 30 requests/s (low
 *   enough that second-to-second Poisson noise is a real share of the load);
 * - `flash`: three days of a daily cycle with six flash crowds (×3 to ×6 within a minute, decaying
 *   over tens of minutes);
 * - `ramp`: two days of steady growth from 40 to 400 requests/s;
 * - `step`: one day of level shifts (×0.4 to ×2.5) every two to four hours;
 * - `weblog`: ten days of a web server's access log counted per second, the demand the classic
 *   autoscaling studies replay (NASA-HTTP, ClarkNet, Saskatchewan, WorldCup98). Such logs differ from
 *   the shapes above in three ways, all here: the rate is low (about 3 requests/s on average, about one
 *   at night); requests do not arrive one by one but in page views, a page and the objects it
 *   embeds fetched within a few seconds, so per-second counts are over-dispersed (variance several
 *   times the mean: a compound Poisson process, page views at a Poisson rate, each a burst of a
 *   geometric number of requests, mean 6); and crawlers add runs of a steady extra rate for tens of
 *   minutes at any hour, unrelated to the daily cycle. Page views follow the two-peak daily cycle with
 *   weekends at 60 % and a slow wander (an hour's memory, 15 %): a site's audience drifts from day to
 *   day more than within five minutes.
 */
import { seededRandom } from '../../test/support/seeded-random';
import { DEFAULT_START_MS, type Trace } from './trace';

/** The synthetic shapes, by name. */
// New shapes go last: a shape's random stream is seeded by its position, so the others stay as they were.
export const SYNTHETIC = ['daily', 'flash', 'ramp', 'step', 'weblog'] as const;
export type SyntheticName = (typeof SYNTHETIC)[number];

const DAY_S = 86_400;

/** A sampler for one seed: uniform, standard normal and Poisson draws. */
function sampler(seed: number) {
  const uniform = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  // Knuth's method for small rates, the normal approximation above 30 (error well under the noise).
  const poisson = (rate: number) => {
    if (rate <= 0) return 0;
    if (rate > 30) return Math.max(0, Math.round(rate + Math.sqrt(rate) * normal()));
    const limit = Math.exp(-rate);
    let k = 0;
    for (let p = uniform(); p > limit; p *= uniform()) k++;
    return k;
  };
  return { uniform, normal, poisson };
}

/** Two peaks a day (late morning, evening), quiet at night; mean about 1 over a day. */
function dailyShape(secondOfDay: number): number {
  const h = secondOfDay / 3600;
  const bump = (centre: number, width: number) => Math.exp(-(((h - centre) / width) ** 2));
  return (0.25 + bump(11, 3) + 0.8 * bump(20, 2.5)) / 1.05;
}

/** The rate of one shape at second `s`, before noise. */
function rate(name: SyntheticName, s: number, events: readonly number[][]): number {
  const weekday = Math.floor(s / DAY_S) % 7; // day 0 is a Monday
  const daily = dailyShape(s % DAY_S) * (weekday >= 5 ? 0.6 : 1);
  switch (name) {
    case 'daily':
      return 30 * daily;
    case 'flash': {
      let r = 100 * daily;
      for (const [at, gain, riseS, decayS] of events) {
        if (s < at!) continue;
        const up = Math.min(1, (s - at!) / riseS!);
        r += 100 * (gain! - 1) * up * Math.exp(-Math.max(0, s - at! - riseS!) / decayS!);
      }
      return r;
    }
    case 'ramp':
      return 40 + 360 * (s / (2 * DAY_S));
    case 'step': {
      let level = 100;
      for (const [at, factor] of events) if (s >= at!) level = Math.min(800, Math.max(20, level * factor!));
      return level;
    }
    case 'weblog':
      // Page views per second, not requests: each is a burst (see syntheticTrace).
      return daily;
  }
}

/** Requests one page view fetches: the page and its embedded objects, geometric with mean 6. */
const PAGE_VIEW_MEAN_REQUESTS = 6;
/** The embedded objects arrive within this many seconds of the page (browsers fetch them at once). */
const PAGE_VIEW_SPREAD_S = 4;

/**
 * Adds one second's page views of a web log to `demand` at `s`: `views` page views, each the page at
 * `s` and its objects spread over the next few seconds (clipped at the trace's end).
 */
function addPageViews(demand: Float64Array, s: number, views: number, uniform: () => number): void {
  const stop = 1 / PAGE_VIEW_MEAN_REQUESTS;
  for (let v = 0; v < views; v++) {
    demand[s]! += 1;
    for (let u = uniform(); u > stop; u = uniform()) {
      const at = s + Math.floor(PAGE_VIEW_SPREAD_S * uniform());
      if (at < demand.length) demand[at]! += 1;
    }
  }
}

/** Generates one synthetic trace; the same name and seed always give the same trace. */
export function syntheticTrace(name: SyntheticName, seed = 1): Trace {
  const days = { daily: 8, flash: 3, ramp: 2, step: 1, weblog: 10 }[name];
  const n = days * DAY_S;
  const rnd = sampler(seed * 7919 + SYNTHETIC.indexOf(name));
  const events: number[][] = [];
  if (name === 'flash') {
    for (let i = 0; i < 6; i++) events.push([Math.floor((i + 0.2 + 0.6 * rnd.uniform()) * n / 6), 3 + 3 * rnd.uniform(), 20 + 40 * rnd.uniform(), 600 + 1200 * rnd.uniform()]);
  }
  if (name === 'step') {
    for (let at = 7200 + Math.floor(7200 * rnd.uniform()); at < n; at += 7200 + Math.floor(7200 * rnd.uniform())) {
      events.push([at, Math.exp(Math.log(0.4) + (Math.log(2.5) - Math.log(0.4)) * rnd.uniform())]);
    }
  }
  if (name === 'weblog') {
    // Crawler runs, about one a day at any hour: start, length 10-60 minutes, 1-4 requests/s.
    for (let i = 0; i < days; i++) events.push([Math.floor(n * rnd.uniform()), 600 + Math.floor(3000 * rnd.uniform()), 1 + 3 * rnd.uniform()]);
  }
  const demand = new Float64Array(n);
  // The rate wanders around its shape: log-AR(1) with a five-minute memory and 8 % spread (a web
  // log's audience: an hour and 15 %).
  const [memoryS, spread] = name === 'weblog' ? [3600, 0.15] : [300, 0.08];
  const keep = Math.exp(-1 / memoryS);
  let wander = 0;
  for (let s = 0; s < n; s++) {
    wander = keep * wander + Math.sqrt(1 - keep * keep) * spread * rnd.normal();
    if (name !== 'weblog') {
      demand[s] = rnd.poisson(rate(name, s, events) * Math.exp(wander));
      continue;
    }
    addPageViews(demand, s, rnd.poisson(rate(name, s, events) * Math.exp(wander)), rnd.uniform);
    for (const [at, lengthS, rps] of events) if (s >= at! && s < at! + lengthS!) demand[s]! += rnd.poisson(rps!);
  }
  return { name: `synthetic:${name}`, demand, startMs: DEFAULT_START_MS, stepS: 1 };
}
