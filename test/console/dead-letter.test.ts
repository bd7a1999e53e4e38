import { describe, expect, it } from 'vitest';
import { HEX_PREVIEW_BYTES, previewBytes } from '../../console/src/dead-letter';

const kept = (bytes: Buffer, truncated = false) => ({ base64: bytes.toString('base64'), length: bytes.length, truncated });

describe('a dead letter\'s bytes, as the console shows them', () => {
  it.each([
    ['absent bytes', null, { as: 'none' }],
    ['a null value', { base64: null, length: 0, truncated: false }, { as: 'none' }],
    ['UTF-8 text', kept(Buffer.from('not avro at all: ünïcode')), { as: 'text', shown: 'not avro at all: ünïcode', length: 26, truncated: false }],
    ['JSON with line breaks', kept(Buffer.from('{\n\t"a": 1\n}')), { as: 'text', shown: '{\n\t"a": 1\n}', length: 11, truncated: false }],
    ['an Avro frame (magic byte 0, schema id)', kept(Buffer.from([0, 0, 0, 0, 7, 2, 0x61])), { as: 'hex', shown: '00 00 00 00 07 02 61', length: 7, truncated: false }],
    ['bytes that are not UTF-8', kept(Buffer.from([0xff, 0xfe, 0x41])), { as: 'hex', shown: 'ff fe 41', length: 3, truncated: false }],
  ])('%s', (_name, input, expected) => {
    expect(previewBytes(input)).toEqual(expected);
  });

  it('shows the first bytes of a long binary payload in hex and says it is cut short', () => {
    const preview = previewBytes(kept(Buffer.alloc(200, 1)));
    expect(preview).toMatchObject({ as: 'hex', length: 200, truncated: true });
    expect(preview.as !== 'none' && preview.shown.split(' ')).toHaveLength(HEX_PREVIEW_BYTES);
  });

  it('keeps the read API\'s own truncation of a long text', () => {
    expect(previewBytes({ ...kept(Buffer.from('x'.repeat(10))), length: 9000, truncated: true })).toEqual({ as: 'text', shown: 'x'.repeat(10), length: 9000, truncated: true });
  });
});
