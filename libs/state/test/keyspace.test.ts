import { describe, expect, it } from 'vitest';
import { createKeyspace } from '../src';

describe('keyspace', () => {
  it('builds entity keys with a hash tag around the entity, so one entity stays in one cluster slot', () => {
    const keys = createKeyspace('maestro:');
    expect(keys.key('detector', 'series', 'api-1', 'latency_ms')).toBe('maestro:detector:series:{api-1:latency_ms}');
    expect(keys.global('healer', 'cap:global')).toBe('maestro:healer:cap:global');
  });

  it('keeps two prefixes apart', () => {
    expect(createKeyspace('a:').key('s', 'k', 'x')).not.toBe(createKeyspace('b:').key('s', 'k', 'x'));
  });
});
