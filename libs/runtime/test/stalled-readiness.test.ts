import { describe, expect, it } from 'vitest';
import { assertNotStalled, assertProducerHealthy } from '../src';

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

describe('readiness of the producer', () => {
  const failure = (sinceMs: number, lastMs: number) => ({ sinceMs, lastMs, error: 'The broker received an out of order sequence number' });

  it('passes while sends succeed, and while failures have lasted less than the bound', () => {
    expect(() => assertProducerHealthy(null, 30_000, 100_000)).not.toThrow();
    expect(() => assertProducerHealthy(failure(80_000, 99_000), 30_000, 100_000)).not.toThrow();
  });

  it('fails while every send has failed for the bound and sends are still being tried, naming the error', () => {
    expect(() => assertProducerHealthy(failure(60_000, 95_000), 30_000, 100_000))
      .toThrow('every send has failed for 35000 ms, the last 5000 ms ago: The broker received an out of order sequence number');
  });

  it('passes again once nothing has been tried for the bound: out of rotation, a service gets no traffic to prove itself with', () => {
    expect(() => assertProducerHealthy(failure(10_000, 60_000), 30_000, 90_000)).not.toThrow();
  });
});
