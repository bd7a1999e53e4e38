import { describe, expect, it } from 'vitest';
import { durationText, instantText, severityText, valueText } from '../../src/domain/reason-text';

describe('reason-text: quantities as the healer\'s reasons write them', () => {
  it.each([
    [1, '1'], [0, '0'], [0.3, '0.3'], [0.57, '0.57'], [0.9999355822438442, '0.999'], [0.7996, '0.799'], [0.8, '0.8'], [0.12345, '0.123'],
  ])('severity %s reads %s (cut, never rounded up past a band)', (severity, text) => {
    expect(severityText(severity)).toBe(text);
  });

  it('a severity just below a band never reads as reaching it', () => {
    for (const band of [0.2, 0.3, 0.5, 0.8]) {
      for (const below of [band - 1e-4, band - 1e-6, band - 1e-12]) expect(Number(severityText(below))).toBeLessThan(band);
      expect(Number(severityText(band))).toBe(band);
    }
  });

  it.each([
    [51.10162100872036, '51.1'], [174.14619302618652, '174.1'], [95.07052219671999, '95.07'], [5006.8, '5007'], [0.000123456, '0.0001235'], [120, '120'], [-3.25, '-3.25'],
  ])('value %s reads %s', (value, text) => {
    expect(valueText(value)).toBe(text);
  });

  it.each([
    [0, '0 ms'], [1, '1 ms'], [850, '850 ms'], [999.4, '999 ms'], [999.6, '1 s'], [42_000, '42 s'], [59_600, '1 min'], [180_000, '3 min'],
    [296_949, '4 min 57 s'], [300_000, '5 min'], [3_599_600, '1 h'], [3_600_000, '1 h'], [7_500_000, '2 h 5 min'], [-5, '0 ms'],
  ])('%s ms reads %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });

  it('an instant reads as ISO 8601 in UTC', () => {
    expect(instantText(1_796_631_771_199)).toBe('2026-12-07T08:22:51.199Z');
  });
});
