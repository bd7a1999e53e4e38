import { describe, expect, it } from 'vitest';
import type { HealthSignal } from '@maestro/telemetry';
import { admitBatch, assetsOf, resolveOrderingConfig } from '../../src/domain/index';
import type { AssetStreamState } from '../../src/domain/index';

const NOW = 1_700_000_000_000;
const config = resolveOrderingConfig();
const at = (assetId: string, offset: number): HealthSignal => ({ timestampMs: NOW + offset, assetId, metrics: { cpu: 0.1 }, labels: {} });

describe('admitBatch', () => {
  it('threads state through the batch per asset and reports only changed assets', () => {
    const stored = new Map<string, AssetStreamState>([
      ['a', { lastAcceptedMs: NOW - 500, recentMs: [NOW - 500], horizonMs: null }],
      ['c', { lastAcceptedMs: NOW - 500, recentMs: [NOW - 500], horizonMs: null }],
    ]);
    const batch = [at('a', -500), at('a', -100), at('b', -300), at('a', -100), at('b', -300), at('c', -500)];
    const { admissions, changedStates } = admitBatch(stored, batch, NOW, config);
    expect(admissions.map((a) => (a.admitted ? 'ok' : a.reason))).toEqual(['duplicate', 'ok', 'ok', 'duplicate', 'duplicate', 'duplicate']);
    expect([...changedStates.keys()].sort()).toEqual(['a', 'b']);
    expect(changedStates.get('a')?.recentMs).toEqual([NOW - 500, NOW - 100]);
    // The input map is not modified: the adapter may still need what it loaded.
    expect(stored.get('a')?.recentMs).toEqual([NOW - 500]);
  });

  it('lists the assets to load in first-seen order', () => {
    expect(assetsOf([at('b', 0), at('a', 0), at('b', 1)])).toEqual(['b', 'a']);
  });
});
