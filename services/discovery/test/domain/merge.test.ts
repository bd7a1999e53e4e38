import { describe, expect, it } from 'vitest';
import { canonicalList, mergeContributions, resolveDiscoveryConfig } from '../../src/domain/index';
import type { DiscoveredAsset, MergedAsset } from '../../src/domain/index';
import { asset, config } from './fixtures';

const merge = (...contributions: DiscoveredAsset[]) => mergeContributions(contributions, config);

describe('mergeContributions: precedence, field by field', () => {
  it.each<[string, DiscoveredAsset[], Partial<MergedAsset>]>([
    ['the higher source wins a scalar', [asset('http', 'a', { name: 'from-http', region: 'us-east-1' }), asset('static', 'a', { name: 'from-file', region: 'eu-west-1' })], { name: 'from-file', region: 'eu-west-1' }],
    ['a lower source fills a field the higher leaves null', [asset('static', 'a', { name: 'file' }), asset('http', 'a', { provider: 'gcp', region: 'europe-west4' })], { name: 'file', provider: 'gcp', region: 'europe-west4' }],
    ['an empty or blank string counts as absent', [asset('static', 'a', { name: '', region: '   ' }), asset('http', 'a', { name: 'http-name', region: 'us-west-2' })], { name: 'http-name', region: 'us-west-2' }],
    ['an inventory\'s tenant beats the tenant telemetry was accepted under', [asset('telemetry', 'a', { tenant: 'claimer' }), asset('static', 'a', { tenant: 'owner' })], { tenant: 'owner' }],
    ['telemetry names the tenant when no inventory does', [asset('static', 'a', { name: 'n' }), asset('telemetry', 'a', { tenant: 'acme' })], { tenant: 'acme' }],
    ['telemetry fills provider and region nobody else gives', [asset('static', 'a', { name: 'n' }), asset('telemetry', 'a', { provider: 'aws', region: 'eu-central-1' })], { provider: 'aws', region: 'eu-central-1' }],
    ['kind from the highest source that says it', [asset('telemetry', 'a'), asset('http', 'a', { kind: 'job_runner' }), asset('static', 'a')], { kind: 'job_runner' }],
    ['kind defaults to service when nobody says it', [asset('telemetry', 'a'), asset('http', 'a')], { kind: 'service' }],
    ['labels are unioned, the higher source wins a shared key', [asset('telemetry', 'a', { labels: { team: 'agent', tier: '1' } }), asset('static', 'a', { labels: { team: 'core', owner: 'ops' } })], { labels: { owner: 'ops', team: 'core', tier: '1' } }],
    ['capabilities come whole from the highest source that has any', [asset('http', 'a', { capabilities: ['gpu', 'batch'] }), asset('static', 'a', { capabilities: ['cpu'] })], { capabilities: ['cpu'] }],
    ['an empty capability list defers to the next source', [asset('http', 'a', { capabilities: ['gpu'] }), asset('static', 'a', { capabilities: [] })], { capabilities: ['gpu'] }],
    ['compliance tags are chosen independently of capabilities', [asset('static', 'a', { capabilities: ['cpu'] }), asset('http', 'a', { capabilities: ['gpu'], complianceTags: ['pci'] })], { capabilities: ['cpu'], complianceTags: ['pci'] }],
    ['lists are de-duplicated and sorted', [asset('static', 'a', { capabilities: ['b', 'a', 'b', ''], complianceTags: ['soc2', 'pci', 'soc2'] })], { capabilities: ['a', 'b'], complianceTags: ['pci', 'soc2'] }],
    ['sources are listed highest precedence first', [asset('telemetry', 'a'), asset('static', 'a'), asset('http', 'a')], { sources: ['static', 'http', 'telemetry'] }],
  ])('%s', (_title, contributions, expected) => {
    expect(merge(...contributions)).toMatchObject(expected);
  });

  it('does not depend on the order contributions are given in', () => {
    const a = asset('static', 'a', { name: 'file', labels: { x: '1' } });
    const b = asset('http', 'a', { name: 'http', region: 'r', capabilities: ['gpu'], labels: { x: '2', y: '3' } });
    const c = asset('telemetry', 'a', { provider: 'aws', labels: { z: '4' } });
    expect(merge(c, b, a)).toEqual(merge(a, b, c));
    expect(merge(b, a, c)).toEqual(merge(a, b, c));
  });

  it('never grants an attestation from a lower source when a higher one has its own list', () => {
    const merged = merge(asset('static', 'a', { complianceTags: ['pci'] }), asset('telemetry', 'a', { complianceTags: ['hipaa', 'pci'] }));
    expect(merged.complianceTags).toEqual(['pci']);
  });

  it('breaks a precedence tie by source name', () => {
    const tied = resolveDiscoveryConfig({
      sources: [
        { name: 'zeta', precedence: 5, mode: 'snapshot' },
        { name: 'alpha', precedence: 5, mode: 'snapshot' },
      ],
    });
    const merged = mergeContributions([asset('zeta', 'a', { name: 'z' }), asset('alpha', 'a', { name: 'a' })], tied);
    expect(merged.name).toBe('a');
    expect(merged.sources).toEqual(['alpha', 'zeta']);
  });

  it('keeps a label named __proto__ as an ordinary label', () => {
    const labels = JSON.parse('{"__proto__":"x","team":"core"}') as Record<string, string>;
    const merged = merge(asset('static', 'a', { labels }));
    expect(Object.keys(merged.labels)).toEqual(['__proto__', 'team']);
    expect(Object.getPrototypeOf(merged.labels)).toBe(Object.prototype);
  });

  it('sorts labels by key so equal content serialises equally', () => {
    expect(JSON.stringify(merge(asset('static', 'a', { labels: { b: '1', a: '2' } })).labels)).toBe('{"a":"2","b":"1"}');
  });
});

describe('canonicalList', () => {
  it.each<[string[], string[]]>([
    [[], []],
    [['b', 'a'], ['a', 'b']],
    [['a', 'a', ' '], ['a']],
  ])('%j becomes %j', (input, expected) => {
    expect(canonicalList(input)).toEqual(expected);
  });
});
