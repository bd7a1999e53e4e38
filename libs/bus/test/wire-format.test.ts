import { describe, expect, it } from 'vitest';
import { BusError, frame, unframe } from '../src';

describe('Confluent wire format', () => {
  it('frames a body behind the magic byte and a big-endian schema id, and reads it back', () => {
    const body = Buffer.from([1, 2, 3]);
    const framed = frame(258, body);
    expect([...framed]).toEqual([0, 0, 0, 1, 2, 1, 2, 3]);
    expect(unframe(framed)).toEqual({ schemaId: 258, bodyOffset: 5 });
  });

  it.each([
    ['no value', null],
    ['fewer than five bytes', Buffer.from([0, 0, 0, 1])],
    ['another magic byte', Buffer.from([1, 0, 0, 0, 1, 9])],
    ['JSON text', Buffer.from('{"a":1}')],
  ])('refuses %s as NOT_WIRE_FORMAT, which is not retryable', (_, value) => {
    let caught: unknown;
    try {
      unframe(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BusError);
    expect(caught).toMatchObject({ code: 'NOT_WIRE_FORMAT', retryable: false });
  });
});
