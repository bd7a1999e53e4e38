import { describe, expect, it } from 'vitest';
import { assertNotStalled } from '../src';

describe('readiness of a consumer', () => {
  it('passes while no partition is stalled', () => {
    expect(() => assertNotStalled({ stalled: () => [] })).not.toThrow();
  });

  it('fails naming every stalled partition with its topic, offset, duration, attempts and error', () => {
    const consumer = {
      stalled: () => [
        { topic: 'p.telemetry.raw', partition: 3, offset: '17', sinceMs: 1_000, attempts: 4, error: 'TransientError: redis away' },
        { topic: 'p.protocol.replies', partition: 0, offset: '2', sinceMs: 5_000, attempts: 1, error: 'the handler has not returned' },
      ],
    };
    expect(() => assertNotStalled(consumer, 41_000)).toThrow(
      'p.telemetry.raw partition 3 stalled at offset 17 for 40000 ms (4 attempts): TransientError: redis away; '
      + 'p.protocol.replies partition 0 stalled at offset 2 for 36000 ms (1 attempts): the handler has not returned',
    );
  });
});
