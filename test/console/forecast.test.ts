/** A recommendation's load forecast as the console shows it: read from the record, never invented. */
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../../console/src/event';
import { forecastCell, forecastOf, forecastSentence, formatHorizonSeconds, formatLoad } from '../../console/src/forecast';

function recommendation(record: Record<string, unknown>): ProjectedEvent {
  return { id: 't:0:1', kind: 'recommendation', tenant: 'acme', atMs: 1, assetId: 'web-1', assetIds: ['web-1'], jobId: null, severity: null, summary: 'scale_out web-1 to 9 replicas', record };
}

const full = { forecastLoad: 5.04, forecastLower: 4.2, forecastUpper: 6.36, forecastHorizonMs: 70_000, forecastSeasonality: 'daily' };

describe('a recommendation\'s forecast in the console', () => {
  it('reads the point, its band, the horizon and the seasonal profile from the record', () => {
    expect(forecastOf(recommendation(full))).toEqual({ point: 5.04, lower: 4.2, upper: 6.36, horizonMs: 70_000, seasonality: 'daily', burst: false, noiseDominated: false });
  });

  it('is absent when the producer made no forecast, as records before forecasts existed', () => {
    expect(forecastOf(recommendation({ ...full, forecastLoad: null }))).toBeNull();
    expect(forecastOf(recommendation({ action: 'hold' }))).toBeNull();
  });

  it('shows a missing band edge as the point and a missing horizon as unknown, not as numbers it was never given', () => {
    const f = forecastOf(recommendation({ forecastLoad: 3, forecastLower: null, forecastUpper: 4 }));
    expect(f).toEqual({ point: 3, lower: 3, upper: 4, horizonMs: null, seasonality: '', burst: false, noiseDominated: false });
    expect(forecastSentence(f!)).toBe("peak load over the forecast horizon: 3.0 replicas' worth of work at full utilisation, band 3.0–4.0 (the recommended count covers its top)");
  });

  it.each([
    [0.043, '0.04'], [0.994, '0.99'], [0.999, '1.0'], [1, '1.0'], [12.34, '12.3'], [99.94, '99.9'], [99.96, '100'], [100, '100'], [1234.5, '1235'],
  ])('formats a load of %d replicas as %s', (load, shown) => {
    expect(formatLoad(load)).toBe(shown);
  });

  it.each([
    [70_000, '70'], [60_500, '60.5'], [90_250, '90.3'], [123_456, '123'], [1_500, '1.5'],
  ])('names a horizon of %d ms as %s s, as the rationale does', (ms, shown) => {
    expect(formatHorizonSeconds(ms)).toBe(shown);
  });

  it('puts the point and its band in the list\'s cell, and the whole of it in a sentence', () => {
    const f = forecastOf(recommendation(full))!;
    expect(forecastCell(f)).toBe('5.0 (4.2–6.4)');
    expect(forecastSentence(f)).toBe("peak load over the next 70 s: 5.0 replicas' worth of work at full utilisation, band 4.2–6.4 (the recommended count covers its top); daily profile");
    expect(forecastSentence({ ...f, seasonality: 'none' })).toMatch(/; no seasonal profile$/);
  });

  it('says when the peak carries a burst or stands on the level of a noise-dominated series, from the record\'s evidence', () => {
    const both = forecastOf(recommendation({ ...full, evidence: { burst: 1, noiseDominated: 1, load: 4 } }))!;
    expect(both).toMatchObject({ burst: true, noiseDominated: true });
    expect(forecastSentence(both)).toBe("peak load over the next 70 s: 5.0 replicas' worth of work at full utilisation, band 4.2–6.4 (the recommended count covers its top); daily profile; burst: the latest sample cleared the last forecast's band, and its excess is carried into the peak; noise-dominated: one sample is mostly the noise of its seconds, so the peak stands on the smoothed level, not on the latest sample");
    const quiet = forecastOf(recommendation({ ...full, evidence: { burst: 0, noiseDominated: 0 } }))!;
    expect(quiet).toMatchObject({ burst: false, noiseDominated: false });
    expect(forecastSentence(quiet)).not.toMatch(/burst|noise/);
    expect(forecastSentence({ ...quiet, seasonality: '', noiseDominated: true })).toMatch(/\(the recommended count covers its top\); noise-dominated: /);
  });
});
