/**
 * A scaling recommendation's load forecast, read from its record (schemas/avro/recommendation.avsc):
 * the peak load the optimizer expects over its horizon and the band around it, in replicas' worth of
 * work at full utilisation. The recommended count covers the band's top, so the forecast beside the
 * decision is what lets a reader check a count against the load it was made for.
 */
import { num, text, type ProjectedEvent } from './event';

export interface Forecast {
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
  /** What the forecast covers (one replica startup delay plus one sample interval); null when not said. */
  readonly horizonMs: number | null;
  /** none, daily or weekly; '' when not said. */
  readonly seasonality: string;
  /** The latest sample cleared the previous forecast's band: its excess is carried into the point (evidence `burst`). */
  readonly burst: boolean;
  /**
   * The samples' own noise dominates the series (evidence `noiseDominated`): the point stands on the
   * level, not on the latest sample, and a sample far below the usual level is not read as a dip.
   */
  readonly noiseDominated: boolean;
}

/** An evidence flag of the record (0 or 1 in the Avro map); false where the record does not carry it. */
function flag(event: ProjectedEvent, name: string): boolean {
  const evidence = event.record['evidence'];
  return typeof evidence === 'object' && evidence !== null && (evidence as Record<string, unknown>)[name] === 1;
}

/** The record's forecast, or null when its producer made none (or wrote it before forecasts existed). */
export function forecastOf(event: ProjectedEvent): Forecast | null {
  const point = num(event, 'forecastLoad');
  if (!Number.isFinite(point)) return null;
  // A band edge the record lacks is the point itself: the band is then shown as having no width, not invented.
  const edge = (field: string) => {
    const value = num(event, field);
    return Number.isFinite(value) ? value : point;
  };
  const horizonMs = num(event, 'forecastHorizonMs');
  return {
    point, lower: edge('forecastLower'), upper: edge('forecastUpper'), horizonMs: Number.isFinite(horizonMs) ? horizonMs : null, seasonality: text(event, 'forecastSeasonality'),
    burst: flag(event, 'burst'), noiseDominated: flag(event, 'noiseDominated'),
  };
}

/**
 * A load in replicas' worth: two decimals below one replica, one below a hundred, whole above; judged
 * on the value as it will be shown, so 0.999 is "1.0" beside 1, not "1.00".
 */
export function formatLoad(load: number): string {
  return load.toFixed(load < 0.995 ? 2 : load < 99.95 ? 1 : 0);
}

/** The list's cell: the point and its band, e.g. "12.3 (10.1–14.8)". */
export function forecastCell(f: Forecast): string {
  return `${formatLoad(f.point)} (${formatLoad(f.lower)}–${formatLoad(f.upper)})`;
}

/**
 * A horizon in seconds as the optimiser's rationale writes it (whole seconds as they are, else three
 * significant figures), so the page's forecast line and the rationale above it name the same horizon:
 * "60.5 s" in both, not "61 s" in one.
 */
export function formatHorizonSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : String(Number(s.toPrecision(3)));
}

const SEASONALITY: Record<string, string> = { none: 'no seasonal profile', daily: 'daily profile', weekly: 'weekly profile' };

/**
 * The forecast in one sentence, for the asset's page and the cell's tooltip. It names a burst and a
 * noise-dominated series as the rationale's forecast clause does: both change what the point stands
 * on, and without them a point far above or below the latest load reads as a mistake.
 */
export function forecastSentence(f: Forecast): string {
  const horizon = f.horizonMs === null ? 'over the forecast horizon' : `over the next ${formatHorizonSeconds(f.horizonMs)} s`;
  const profile = SEASONALITY[f.seasonality] ?? (f.seasonality === '' ? '' : `${f.seasonality} profile`);
  const notes = [
    profile,
    f.burst ? "burst: the latest sample cleared the last forecast's band, and its excess is carried into the peak" : '',
    f.noiseDominated ? "noise-dominated: one sample is mostly the noise of its seconds, so the peak stands on the smoothed level, not on the latest sample" : '',
  ].filter((n) => n !== '');
  return `peak load ${horizon}: ${formatLoad(f.point)} replicas' worth of work at full utilisation, band ${formatLoad(f.lower)}–${formatLoad(f.upper)} (the recommended count covers its top)${notes.map((n) => `; ${n}`).join('')}`;
}
