/** Regression: a failover for an asset without a known provider reached the runner as `"provider":"null"`. */
import { describe, expect, it } from 'vitest';
import { wireParams } from '../src/wire-params';

describe('wireParams', () => {
  it('leaves a null param out instead of sending the string "null"', () => {
    expect(wireParams({ assetId: 'db-1', fromRegion: 'eu-west-1', provider: null, target: 'standby' }))
      .toEqual({ assetId: 'db-1', fromRegion: 'eu-west-1', target: 'standby' });
  });

  it.each([
    ['a string as it is', { mode: 'rolling' }, { mode: 'rolling' }],
    ['a number as JSON', { shiftRatio: 0.35 }, { shiftRatio: '0.35' }],
    ['a boolean as JSON', { drain: false }, { drain: 'false' }],
    ['an object as JSON, nulls inside it kept', { webhook: { url: 'http://x', payload: { region: null } } }, { webhook: '{"url":"http://x","payload":{"region":null}}' }],
    ['an empty string as it is', { note: '' }, { note: '' }],
  ])('encodes %s', (_what, params, wire) => {
    expect(wireParams(params)).toEqual(wire);
  });
});
