import { describe, expect, it } from 'vitest';
import { parseAssetList } from '../../src/providers/index';
import type { ProviderProblemCode } from '../../src/domain/index';

const parse = (document: unknown) => parseAssetList(document, 'static', 1_000);

describe('parseAssetList', () => {
  it('reads a full entry, trimming text and lower-casing provider and region', () => {
    const { assets, problems, failed } = parse([
      { assetId: 'svc-a', kind: 'job_runner', name: ' A ', provider: 'AWS', region: 'EU-West-1', capabilities: ['gpu'], complianceTags: ['pci'], labels: { team: 'core' }, tenant: 'acme' },
    ]);
    expect(failed).toBe(false);
    expect(problems).toEqual([]);
    expect(assets).toEqual([
      { assetId: 'svc-a', kind: 'job_runner', name: 'A', provider: 'aws', region: 'eu-west-1', capabilities: ['gpu'], complianceTags: ['pci'], labels: { team: 'core' }, tenant: 'acme', source: 'static', observedAtMs: 1_000 },
    ]);
  });

  it('needs nothing but the asset id', () => {
    expect(parse([{ assetId: 'a' }]).assets[0]).toMatchObject({ kind: null, name: null, capabilities: [], labels: {}, tenant: null });
  });

  it.each<[string, unknown, string]>([
    ['a missing id', { name: 'x' }, 'assetId must be'],
    ['an id with a space', { assetId: 'a b' }, 'assetId must be'],
    ['an id starting with a slash', { assetId: '/a' }, 'assetId must be'],
    ['an id too long', { assetId: 'a'.repeat(201) }, 'assetId must be'],
    ['a numeric name', { assetId: 'a', name: 3 }, 'name must be'],
    ['an empty region', { assetId: 'a', region: '' }, 'region must be'],
    ['capabilities not a list', { assetId: 'a', capabilities: 'gpu' }, 'capabilities must be'],
    ['a non-string compliance tag', { assetId: 'a', complianceTags: ['pci', 1] }, 'complianceTags must be'],
    ['a numeric label', { assetId: 'a', labels: { tier: 1 } }, 'labels must be'],
    ['labels as a list', { assetId: 'a', labels: ['x'] }, 'labels must be'],
    ['not an object', 'svc-a', 'must be an object'],
  ])('skips an entry with %s, saying why', (_title, entry, reason) => {
    const { assets, problems, failed } = parse([entry, { assetId: 'ok' }]);
    expect(failed).toBe(false);
    expect(assets.map((a) => a.assetId)).toEqual(['ok']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'invalid_entry', entryIndex: 0 });
    expect(problems[0]?.message).toContain(reason);
  });

  it('lists every reason of one bad entry and names its id when usable', () => {
    const { problems } = parse([{ assetId: 'a', name: 1, region: 2 }, { assetId: 'b' }]);
    expect(problems[0]).toMatchObject({ code: 'invalid_entry', assetId: 'a' });
    expect(problems[0]?.message).toMatch(/name must be.*region must be/);
  });

  it('keeps the first of two entries with one id', () => {
    const { assets, problems } = parse([{ assetId: 'a', name: 'first' }, { assetId: 'a', name: 'second' }]);
    expect(assets.map((a) => a.name)).toEqual(['first']);
    expect(problems).toEqual([expect.objectContaining({ code: 'duplicate_asset', entryIndex: 1, assetId: 'a' })]);
  });

  it('keeps an entry with an unknown field and reports the field', () => {
    const { assets, problems } = parse([{ assetId: 'a', complianceTag: ['pci'] }]);
    expect(assets).toHaveLength(1);
    expect(problems).toEqual([expect.objectContaining({ code: 'unknown_field', assetId: 'a' })]);
    expect(problems[0]?.message).toContain('complianceTag');
  });

  it.each<[string, unknown, ProviderProblemCode]>([
    ['an object', { assets: [] }, 'not_a_list'],
    ['null', null, 'not_a_list'],
    ['a list of only bad entries', [{ id: 'a' }, 3], 'no_valid_entries'],
  ])('fails the whole document when it is %s', (_title, document, code) => {
    const { failed, problems, assets } = parse(document);
    expect(failed).toBe(true);
    expect(assets).toEqual([]);
    expect(problems[0]?.code).toBe(code);
  });

  it('accepts an empty list: the source lists nothing', () => {
    expect(parse([])).toEqual({ assets: [], problems: [], failed: false });
  });
});
