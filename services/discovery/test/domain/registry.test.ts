import { describe, expect, it } from 'vitest';
import { applyReport, dedupeAssets, emptyRegistry, evaluate, REGISTRY_STATE_VERSION, restoreRegistry, UnknownSourceError } from '../../src/domain/index';
import type { DiscoveredAsset } from '../../src/domain/index';
import { asset, config, MINUTE, report, run, seen } from './fixtures';

describe('dedupeAssets', () => {
  it.each<[string, DiscoveredAsset[], string | null]>([
    ['the later observation wins', [asset('static', 'a', { name: 'new' }, 2), asset('static', 'a', { name: 'old' }, 1)], 'new'],
    ['among equal observations the last in the list wins', [asset('static', 'a', { name: 'first' }, 1), asset('static', 'a', { name: 'second' }, 1)], 'second'],
  ])('%s', (_title, assets, name) => {
    const deduped = dedupeAssets(assets);
    expect(deduped).toHaveLength(1);
    expect(deduped[0]?.name).toBe(name);
  });

  it('keeps the order of first appearance', () => {
    expect(dedupeAssets([asset('s', 'b'), asset('s', 'a'), asset('s', 'b')]).map((a) => a.assetId)).toEqual(['b', 'a']);
  });
});

describe('applyReport', () => {
  it('publishes one record for an asset listed twice in one snapshot', () => {
    const state = applyReport(emptyRegistry(), report('static', asset('static', 'a', { name: 'x' }), asset('static', 'a', { name: 'y' })), 0, config);
    expect(state.assets.a?.contributions).toHaveLength(1);
    expect(evaluate(state, 0, config).events).toHaveLength(1);
  });

  it('drops the source from assets a snapshot no longer lists, and only that source', () => {
    let state = applyReport(emptyRegistry(), report('static', asset('static', 'a'), asset('static', 'b')), 0, config);
    state = applyReport(state, report('http', asset('http', 'a')), 0, config);
    state = applyReport(state, report('static', asset('static', 'b')), MINUTE, config);
    expect(state.assets.a?.contributions.map((c) => c.source)).toEqual(['http']);
    expect(state.assets.a?.unlistedAtMs).toBeNull();
    state = applyReport(state, report('http'), 2 * MINUTE, config);
    expect(state.assets.a?.contributions).toEqual([]);
    expect(state.assets.a?.unlistedAtMs).toBe(2 * MINUTE);
  });

  it('leaves telemetry contributions alone when telemetry reports other assets', () => {
    const state = applyReport(applyReport(emptyRegistry(), seen(0, 'a'), 0, config), seen(MINUTE, 'b'), MINUTE, config);
    expect(Object.keys(state.assets).sort()).toEqual(['a', 'b']);
    expect(state.assets.a?.contributions[0]?.observedAtMs).toBe(0);
  });

  it('throws on a source missing from the catalog', () => {
    expect(() => applyReport(emptyRegistry(), report('cmdb', asset('cmdb', 'a')), 0, config)).toThrow(UnknownSourceError);
  });

  it('throws on an asset attributed to another source than its report', () => {
    expect(() => applyReport(emptyRegistry(), report('static', asset('http', 'a')), 0, config)).toThrow(/attributed to http/);
  });

  it('does not change the state it was given', () => {
    const before = applyReport(emptyRegistry(), report('static', asset('static', 'a')), 0, config);
    const frozen = JSON.stringify(before);
    applyReport(before, report('static'), MINUTE, config);
    expect(JSON.stringify(before)).toBe(frozen);
  });
});

describe('registry state', () => {
  it('survives a JSON round trip and evaluates the same afterwards', () => {
    const { state } = run([
      { atMs: 0, reports: [report('static', asset('static', 'a', { labels: { t: '1' } })), seen(0, 'a', 'b')] },
      { atMs: MINUTE, reports: [report('static')] },
    ]);
    const restored = restoreRegistry(JSON.parse(JSON.stringify(state)));
    expect(restored).toEqual(state);
    for (const atMs of [2 * MINUTE, 4 * MINUTE, 20 * MINUTE, 70 * MINUTE]) {
      expect(evaluate(restored!, atMs, config)).toEqual(evaluate(state, atMs, config));
    }
  });

  it('keeps an asset named __proto__ as an ordinary entry', () => {
    const { state, events } = run([{ atMs: 0, reports: [report('static', asset('static', '__proto__'))] }]);
    expect(events.map((e) => e.assetId)).toEqual(['__proto__']);
    const restored = restoreRegistry(JSON.parse(JSON.stringify(state)));
    expect(Object.keys(restored!.assets)).toEqual(['__proto__']);
    expect(evaluate(restored!, MINUTE, config).events).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'x'],
    ['another version', { version: REGISTRY_STATE_VERSION + 1, assets: {} }],
    ['no assets', { version: REGISTRY_STATE_VERSION }],
  ])('refuses %s as a stored state', (_title, stored) => {
    expect(restoreRegistry(stored)).toBeNull();
  });
});
