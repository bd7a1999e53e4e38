import { describe, expect, it } from 'vitest';
import type { AssetEvent } from '@maestro/contracts';
import { evaluate, reconcile, registryFromEvents, resolveDiscoveryConfig } from '../../src/domain/index';
import { asset, config, MINUTE, report, run, timeline } from './fixtures';

/** What the agent of 'mixed' sends, at `atMs`. */
const mixedSample = (atMs: number) => asset('telemetry', 'mixed', { region: 'eu-west-1', labels: { team: 'agent', v: '2' } }, atMs);

/** A scenario with every kind of asset, ending at minute 5; its events are what the topic holds. */
function history() {
  return run([
    {
      atMs: 0,
      reports: [
        report('static', asset('static', 'file-only', { name: 'F', capabilities: ['gpu'] }), asset('static', 'mixed', { name: 'M', complianceTags: ['pci'] })),
        report('http', asset('http', 'mixed', { provider: 'aws', labels: { team: 'core' } }), asset('http', 'http-only', { kind: 'external_api' })),
        report('telemetry', mixedSample(0), asset('telemetry', 'tele-only', { region: 'us-east-1' }, 0)),
      ],
    },
    { atMs: MINUTE, reports: [report('telemetry', mixedSample(MINUTE), asset('telemetry', 'tele-only', { region: 'us-east-1' }, MINUTE))] },
    { atMs: 4 * MINUTE, reports: [report('telemetry', mixedSample(4 * MINUTE))] },
    { atMs: 5 * MINUTE, reports: [report('telemetry', mixedSample(5 * MINUTE))] },
  ]);
}

const lastPerAsset = (events: readonly AssetEvent[]) => new Map(events.map((e) => [e.assetId, e]));

describe('registryFromEvents', () => {
  it('reproduces the published records, so evaluating right after a restart publishes nothing', () => {
    const { state, events } = history();
    const rebuilt = registryFromEvents(events, 5 * MINUTE, config);
    expect(Object.keys(rebuilt.assets).sort()).toEqual(Object.keys(state.assets).sort());
    for (const [id, entry] of Object.entries(rebuilt.assets)) expect(entry.published).toEqual(state.assets[id]?.published);
    expect(evaluate(rebuilt, 5 * MINUTE, config).events).toEqual([]);
  });

  it('publishes nothing when every source reports again what it said before the restart', () => {
    const { events } = history();
    const rebuilt = registryFromEvents(events, 6 * MINUTE, config);
    const again = reconcile(rebuilt, [
      report('static', asset('static', 'file-only', { name: 'F', capabilities: ['gpu'] }), asset('static', 'mixed', { name: 'M', complianceTags: ['pci'] })),
      report('http', asset('http', 'mixed', { provider: 'aws', labels: { team: 'core' } }), asset('http', 'http-only', { kind: 'external_api' })),
      report('telemetry', mixedSample(6 * MINUTE)),
    ], 6 * MINUTE, config);
    expect(again.events).toEqual([]);
  });

  it('takes the last record of a key and leaves removed assets out', () => {
    const base: AssetEvent = { assetId: 'a', change: 'added', kind: 'service', name: 'one', provider: null, region: null, capabilities: [], complianceTags: [], labels: {}, sources: ['static'], lastSeenMs: null, atMs: 0, tenant: null };
    const rebuilt = registryFromEvents([base, { ...base, change: 'updated', name: 'two', atMs: 1 }, { ...base, assetId: 'b' }, { ...base, assetId: 'b', change: 'removed', sources: [], atMs: 2 }], 3, config);
    expect(Object.keys(rebuilt.assets)).toEqual(['a']);
    expect(rebuilt.assets.a?.published?.name).toBe('two');
  });

  it('drops what a snapshot source no longer lists at its first poll after the restart', () => {
    const { events } = history();
    const rebuilt = registryFromEvents(events, 6 * MINUTE, config);
    const { events: after } = run([{ atMs: 6 * MINUTE, reports: [report('http', asset('http', 'mixed', { provider: 'aws', labels: { team: 'core' } }))] }, { atMs: 16 * MINUTE }], rebuilt);
    expect(timeline(after, 'http-only')).toEqual(['removed@16']);
  });

  it('gives the telemetry consumer one staleness window after the restart before anything goes stale', () => {
    const { events } = history();
    // Down for 20 minutes: 'mixed' last sampled at 5, so its sample is far older than the window.
    const rebuilt = registryFromEvents(events, 25 * MINUTE, config);
    const { events: caughtUp } = run([
      { atMs: 25 * MINUTE, reports: [report('telemetry', mixedSample(6 * MINUTE))] }, // the backlog being replayed
      { atMs: 26 * MINUTE, reports: [report('telemetry', mixedSample(26 * MINUTE))] },
      { atMs: 28 * MINUTE },
    ], rebuilt);
    expect(timeline(caughtUp, 'mixed')).toEqual([]);
    const { events: silent } = run([{ atMs: 27 * MINUTE }, { atMs: 27 * MINUTE + 1 }], rebuilt);
    expect(timeline(silent, 'mixed')).toEqual(['stale@' + (27 * MINUTE + 1) / MINUTE]);
  });

  it('keeps an asset that was stale before the restart stale, without a spurious updated', () => {
    const { events } = history();
    expect(lastPerAsset(events).get('tele-only')?.change).toBe('stale');
    const { events: after } = run([{ atMs: 6 * MINUTE }, { atMs: 7 * MINUTE }], registryFromEvents(events, 6 * MINUTE, config));
    expect(after).toEqual([]);
  });

  it('starts the removal grace of an asset whose only source is no longer configured', () => {
    const { events } = history();
    const noHttp = resolveDiscoveryConfig({ ...config, sources: config.sources.filter((s) => s.name !== 'http') });
    const rebuilt = registryFromEvents(events, 6 * MINUTE, noHttp);
    expect(evaluate(rebuilt, 15 * MINUTE, noHttp).events.filter((e) => e.assetId === 'http-only')).toEqual([]);
    expect(evaluate(rebuilt, 16 * MINUTE, noHttp).events.filter((e) => e.assetId === 'http-only').map((e) => e.change)).toEqual(['removed']);
  });
});
