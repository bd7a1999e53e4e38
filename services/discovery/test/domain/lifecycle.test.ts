import { describe, expect, it } from 'vitest';
import { assetVitals, emptyRegistry, evaluate, reconcile, resolveDiscoveryConfig } from '../../src/domain/index';
import type { DiscoveredAsset } from '../../src/domain/index';
import { asset, config, isWireRecord, MINUTE, report, run, seen, timeline } from './fixtures';

const fileA = (overrides: Partial<DiscoveredAsset> = {}) => asset('static', 'a', { name: 'A', region: 'eu-west-1', ...overrides });

describe('added and updated', () => {
  it('adds an asset once and publishes nothing for an identical re-poll', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA())] },
      { atMs: MINUTE, reports: [report('static', fileA())] },
      { atMs: 2 * MINUTE, reports: [report('static', fileA())] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0']);
    expect(events[0]).toMatchObject({ assetId: 'a', change: 'added', kind: 'service', name: 'A', region: 'eu-west-1', sources: ['static'], lastSeenMs: null, atMs: 0 });
  });

  it('publishes nothing when a source reorders its lists and labels', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA({ capabilities: ['a', 'b'], labels: { x: '1', y: '2' } }))] },
      { atMs: MINUTE, reports: [report('static', fileA({ capabilities: ['b', 'a', 'a'], labels: { y: '2', x: '1' } }))] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0']);
  });

  it('publishes nothing for telemetry that only moves lastSeenMs', () => {
    const steps = [0, 1, 2, 3, 4, 5].map((m) => ({ atMs: m * 30_000, reports: [seen(m * 30_000, 'a')] }));
    const { events, state } = run(steps);
    expect(timeline(events, 'a')).toEqual(['added@0']);
    expect(assetVitals(state.assets.a!, 150_000, config).lastSeenMs).toBe(150_000);
  });

  it.each<[string, Partial<DiscoveredAsset>]>([
    ['name', { name: 'A2' }],
    ['region', { region: 'eu-west-2' }],
    ['kind', { kind: 'job_runner' }],
    ['a label value', { labels: { team: 'other' } }],
    ['capabilities', { capabilities: ['gpu'] }],
    ['compliance tags', { complianceTags: ['pci'] }],
  ])('publishes updated when %s changes, carrying the new value', (_field, change) => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA({ labels: { team: 'core' } }))] },
      { atMs: MINUTE, reports: [report('static', fileA({ labels: { team: 'core' }, ...change }))] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'updated@1']);
    expect(events[1]).toMatchObject(change);
  });

  it('publishes updated when a second source starts reporting the asset', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA())] },
      { atMs: MINUTE, reports: [report('http', asset('http', 'a', { provider: 'aws' }))] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'updated@1']);
    expect(events[1]).toMatchObject({ sources: ['static', 'http'], provider: 'aws', name: 'A' });
  });

  it('does not publish a lower source change that a higher source masks', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA()), report('http', asset('http', 'a', { name: 'H' }))] },
      { atMs: MINUTE, reports: [report('http', asset('http', 'a', { name: 'H2' }))] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0']);
  });

  it('merges the same asset from several sources into one record (dedupe across sources)', () => {
    const { events } = run([{ atMs: 0, reports: [report('static', fileA()), report('http', asset('http', 'a')), seen(0, 'a')] }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ sources: ['static', 'http', 'telemetry'], lastSeenMs: 0 });
  });

  it('emits records exactly shaped like the Avro AssetEvent', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA({ capabilities: ['gpu'], labels: { t: '1' } })), seen(0, 'a', 'b')] },
      { atMs: 3 * MINUTE },
      { atMs: 3 * MINUTE, reports: [report('static')] },
      { atMs: 100 * MINUTE },
    ]);
    expect(new Set(events.map((e) => e.change))).toEqual(new Set(['added', 'stale', 'removed']));
    for (const event of events) expect(isWireRecord(event)).toBe(true);
  });
});

describe('stale and back', () => {
  it.each<[string, number, boolean]>([
    ['exactly at the window', 2 * MINUTE, false],
    ['1 ms past the window', 2 * MINUTE + 1, true],
  ])('is stale %s: %s', (_title, atMs, stale) => {
    const { state } = run([{ atMs: 0, reports: [seen(0, 'a')] }]);
    expect(assetVitals(state.assets.a!, atMs, config).stale).toBe(stale);
  });

  it('goes stale once after the window and back to updated when telemetry resumes', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA()), seen(0, 'a')] },
      { atMs: 2 * MINUTE },
      { atMs: 3 * MINUTE },
      { atMs: 4 * MINUTE },
      { atMs: 5 * MINUTE, reports: [seen(5 * MINUTE, 'a')] },
      { atMs: 6 * MINUTE, reports: [seen(6 * MINUTE, 'a')] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'stale@3', 'updated@5']);
    expect(events[2]).toMatchObject({ lastSeenMs: 5 * MINUTE });
  });

  it('never marks an asset without telemetry stale', () => {
    const { events } = run([{ atMs: 0, reports: [report('static', fileA())] }, { atMs: 600 * MINUTE, reports: [report('static', fileA())] }]);
    expect(timeline(events, 'a')).toEqual(['added@0']);
  });

  it('publishes an attribute change of a stale asset as stale, not updated', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA()), seen(0, 'a')] },
      { atMs: 3 * MINUTE },
      { atMs: 4 * MINUTE, reports: [report('static', fileA({ name: 'renamed' }))] },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'stale@3', 'stale@4']);
    expect(events[2]).toMatchObject({ name: 'renamed' });
  });

  it('publishes added then stale for an asset first seen with an old sample', () => {
    const { events } = run([{ atMs: 5 * MINUTE, reports: [seen(0, 'a')] }]);
    expect(timeline(events, 'a')).toEqual(['added@5', 'stale@5']);
  });

  it('ignores a sample older than the one it holds', () => {
    const { state } = run([{ atMs: 0, reports: [seen(2 * MINUTE, 'a')] }, { atMs: 2 * MINUTE, reports: [seen(MINUTE, 'a')] }]);
    expect(assetVitals(state.assets.a!, 2 * MINUTE, config).lastSeenMs).toBe(2 * MINUTE);
  });
});

describe('removed', () => {
  it.each<[string, number, string[]]>([
    ['not before the grace ends', 10 * MINUTE - 1, ['added@0']],
    ['when the grace ends', 10 * MINUTE, ['added@0', 'removed@10']],
  ])('removes an asset dropped from its only snapshot source %s', (_title, atMs, expected) => {
    const { events } = run([{ atMs: 0, reports: [report('static', fileA())] }, { atMs: 0, reports: [report('static')] }, { atMs }]);
    expect(timeline(events, 'a')).toEqual(expected);
  });

  it('publishes nothing when an asset comes back unchanged within the grace', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA())] },
      { atMs: MINUTE, reports: [report('static')] },
      { atMs: 5 * MINUTE, reports: [report('static', fileA())] },
      { atMs: 30 * MINUTE },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0']);
  });

  it('keeps an asset another source still lists, publishing the smaller sources', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA()), report('http', asset('http', 'a', { provider: 'aws' }))] },
      { atMs: MINUTE, reports: [report('http')] },
      { atMs: 60 * MINUTE },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'updated@1']);
    expect(events[1]).toMatchObject({ sources: ['static'], provider: null });
  });

  it('keeps the last attributes and empties the sources in the removed record', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA({ capabilities: ['gpu'] }))] },
      { atMs: MINUTE, reports: [report('static')] },
      { atMs: 11 * MINUTE },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'removed@11']);
    expect(events[1]).toMatchObject({ name: 'A', capabilities: ['gpu'], sources: [], lastSeenMs: null, atMs: 11 * MINUTE });
  });

  it('removes a telemetry-only asset only after the retention window and the grace, stale long before', () => {
    const { events } = run([
      { atMs: 0, reports: [seen(0, 'a')] },
      { atMs: 3 * MINUTE },
      { atMs: 69 * MINUTE },
      { atMs: 70 * MINUTE - 1 },
      { atMs: 70 * MINUTE },
    ]);
    expect(timeline(events, 'a')).toEqual(['added@0', 'stale@3', 'removed@70']);
  });

  it('removes a listed asset dropped from the file once its telemetry has also stopped, after the grace', () => {
    const { events } = run([
      { atMs: 0, reports: [report('static', fileA()), seen(0, 'a')] },
      { atMs: MINUTE, reports: [report('static'), seen(MINUTE, 'a')] },
      { atMs: 4 * MINUTE },
      { atMs: 13 * MINUTE - 1 },
      { atMs: 13 * MINUTE },
    ]);
    // Dropped at 1 while telemetry is fresh: still vouched for, and what telemetry alone says is
    // published. Telemetry stops vouching at 1 + 2 (stale), and the grace of 10 ends at 13.
    expect(timeline(events, 'a')).toEqual(['added@0', 'updated@1', 'stale@4', 'removed@13']);
    expect(events[1]).toMatchObject({ sources: ['telemetry'], name: null, lastSeenMs: MINUTE });
  });

  it('forgets silently an asset dropped before it was ever published', () => {
    const state = reconcile(emptyRegistry(), [report('static', fileA()), report('static')], 0, config).state;
    const { events } = evaluate(state, 0, config);
    expect(events).toEqual([]);
  });

  it('starts the grace for the assets of a source taken out of the configuration', () => {
    const { state } = run([{ atMs: 0, reports: [report('http', asset('http', 'a'))] }]);
    const withoutHttp = resolveDiscoveryConfig({ ...config, sources: config.sources.filter((s) => s.name !== 'http') });
    const first = evaluate(state, MINUTE, withoutHttp);
    expect(first.events).toEqual([]);
    expect(evaluate(first.state, 11 * MINUTE, withoutHttp).events.map((e) => e.change)).toEqual(['removed']);
  });
});
