import { describe, expect, it } from 'vitest';
import { DiscoveryProviderError, pollProblem } from '../../src/domain/index';
import type { DiscoveredAsset, PollOutcome } from '../../src/domain/index';
import { createSnapshotKeeper } from '../../src/providers/index';

const KEEP = 1_000;
const snapshot: DiscoveredAsset[] = [
  { assetId: 'a', kind: null, name: null, provider: null, region: null, capabilities: [], complianceTags: [], labels: {}, source: 's', observedAtMs: 0 },
];
const broken = [pollProblem('read_failed', 'boom')];

type Step = ['ok' | 'fail', number, PollOutcome, number | 'throws'];

describe('createSnapshotKeeper', () => {
  it.each<[string, Step[]]>([
    ['serves the last good snapshot within the keep window, then an empty one', [
      ['ok', 0, 'fresh', 1],
      ['fail', 500, 'cached', 1],
      ['fail', 1_000, 'cached', 1],
      ['fail', 1_001, 'expired', 0],
      ['ok', 2_000, 'fresh', 1],
      ['fail', 2_500, 'cached', 1],
    ]],
    ['rejects while it has never answered and is within its startup grace, then serves empty', [
      ['fail', 10, 'unavailable', 'throws'],
      ['fail', 1_010, 'unavailable', 'throws'],
      ['fail', 1_011, 'expired', 0],
      ['ok', 1_500, 'fresh', 1],
    ]],
  ])('%s', (_title, steps) => {
    const keeper = createSnapshotKeeper('s', KEEP);
    for (const [kind, atMs, outcome, served] of steps) {
      if (served === 'throws') {
        expect(() => keeper.fail(atMs, broken)).toThrow(DiscoveryProviderError);
      } else {
        const assets = kind === 'ok' ? keeper.succeed(atMs, snapshot, []) : keeper.fail(atMs, broken);
        expect(assets).toHaveLength(served);
      }
      expect(keeper.lastPoll()).toMatchObject({ source: 's', atMs, outcome, problems: kind === 'ok' ? [] : broken });
    }
  });

  it('reports when the served snapshot was read', () => {
    const keeper = createSnapshotKeeper('s', KEEP);
    expect(keeper.lastPoll()).toBeNull();
    keeper.succeed(100, snapshot, []);
    keeper.fail(600, broken);
    expect(keeper.lastPoll()).toMatchObject({ outcome: 'cached', lastGoodAtMs: 100, assetCount: 1 });
  });

  it('rejects with the reasons and the no_snapshot code', () => {
    const keeper = createSnapshotKeeper('cmdb', KEEP);
    try {
      keeper.fail(0, broken);
      expect.unreachable();
    } catch (err: unknown) {
      expect(err).toBeInstanceOf(DiscoveryProviderError);
      expect(err).toMatchObject({ code: 'no_snapshot', source: 'cmdb', problems: broken });
      expect((err as Error).message).toContain('boom');
    }
  });
});
