import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCOVERY_CONFIG, DiscoveryConfigError, resolveDiscoveryConfig } from '../../src/domain/index';
import type { DiscoveryConfig } from '../../src/domain/index';

describe('resolveDiscoveryConfig', () => {
  it('returns the frozen defaults when given nothing', () => {
    const c = resolveDiscoveryConfig();
    expect(c).toEqual(DEFAULT_DISCOVERY_CONFIG);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.sources)).toBe(true);
    expect(c.sources.map((s) => `${s.name}:${s.precedence}:${s.mode}`)).toEqual(['static:300:snapshot', 'http:200:snapshot', 'telemetry:100:telemetry']);
  });

  it('overrides only the fields given', () => {
    const c = resolveDiscoveryConfig({ staleAfterMs: 30_000 });
    expect(c.staleAfterMs).toBe(30_000);
    expect(c.removalGraceMs).toBe(DEFAULT_DISCOVERY_CONFIG.removalGraceMs);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ staleAfterMs: 0 }, 'staleAfterMs'],
    [{ staleAfterMs: -1 }, 'staleAfterMs'],
    [{ removalGraceMs: 1.5 }, 'removalGraceMs'],
    [{ removalGraceMs: '60000' }, 'removalGraceMs'],
    [{ telemetryRetentionMs: 1_000, staleAfterMs: 2_000 }, 'telemetryRetentionMs'],
    [{ sources: [] }, 'sources'],
    [{ sources: [{ name: 'a', precedence: 1, mode: 'snapshot' }, { name: 'a', precedence: 2, mode: 'snapshot' }] }, 'duplicate source name'],
    [{ sources: [{ name: 'Bad Name', precedence: 1, mode: 'snapshot' }] }, 'sources[0].name'],
    [{ sources: [{ name: 'a', precedence: Number.NaN, mode: 'snapshot' }] }, 'sources[0].precedence'],
    [{ sources: [{ name: 'a', precedence: 1, mode: 'push' }] }, 'sources[0].mode'],
    [{ staleAfterMS: 1 }, 'unknown setting'],
  ])('rejects %j naming %s', (input, fragment) => {
    const attempt = () => resolveDiscoveryConfig(input as Partial<DiscoveryConfig>);
    expect(attempt).toThrow(DiscoveryConfigError);
    expect(attempt).toThrow(fragment);
  });
});
