import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscoveryProviderError } from '../../src/domain/index';
import { createStaticFileProvider } from '../../src/providers/index';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'maestro-discovery-'));
  path = join(dir, 'assets.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (assets: readonly { assetId: string }[]) => assets.map((a) => a.assetId);

describe('createStaticFileProvider', () => {
  it('has the documented defaults', () => {
    expect(createStaticFileProvider({ path: 'x' })).toMatchObject({ name: 'static', precedence: 300 });
  });

  it('reads the file on each poll, so an edit takes effect without a restart', async () => {
    const provider = createStaticFileProvider({ path });
    await writeFile(path, JSON.stringify([{ assetId: 'a', name: 'A' }]));
    expect(await provider.poll(1)).toEqual([expect.objectContaining({ assetId: 'a', name: 'A', source: 'static', observedAtMs: 1 })]);
    await writeFile(path, JSON.stringify([{ assetId: 'b' }]));
    expect(ids(await provider.poll(2))).toEqual(['b']);
    expect(provider.lastPoll()).toMatchObject({ outcome: 'fresh', assetCount: 1, problems: [] });
  });

  it('serves the good entries and reports the bad ones with reasons', async () => {
    const provider = createStaticFileProvider({ path, name: 'inventory' });
    await writeFile(path, JSON.stringify([{ assetId: 'a' }, { assetId: 'b c' }, { assetId: 'd', capabilities: 'gpu' }]));
    const assets = await provider.poll(0);
    expect(ids(assets)).toEqual(['a']);
    expect(assets[0]?.source).toBe('inventory');
    const problems = provider.lastPoll()?.problems ?? [];
    expect(problems.map((p) => [p.code, p.entryIndex])).toEqual([['invalid_entry', 1], ['invalid_entry', 2]]);
    expect(problems[1]?.message).toContain('capabilities must be');
  });

  it.each<[string, string, string]>([
    ['malformed JSON (a file caught mid-write)', '[{"assetId": "a"', 'malformed_json'],
    ['valid JSON that is not a list', '{"assetId": "a"}', 'not_a_list'],
    ['a list of only bad entries', '[{"id": "a"}]', 'no_valid_entries'],
  ])('keeps serving the last good content when the file becomes %s', async (_title, content, code) => {
    const provider = createStaticFileProvider({ path, keepLastGoodMs: 1_000 });
    await writeFile(path, JSON.stringify([{ assetId: 'a' }]));
    await provider.poll(0);
    await writeFile(path, content);
    expect(ids(await provider.poll(500))).toEqual(['a']);
    expect(provider.lastPoll()).toMatchObject({ outcome: 'cached', lastGoodAtMs: 0 });
    expect(provider.lastPoll()?.problems[0]?.code).toBe(code);
    expect(await provider.poll(1_001)).toEqual([]);
    expect(provider.lastPoll()?.outcome).toBe('expired');
  });

  it('keeps serving the last good content while the file is missing', async () => {
    const provider = createStaticFileProvider({ path, keepLastGoodMs: 1_000 });
    await writeFile(path, JSON.stringify([{ assetId: 'a' }]));
    await provider.poll(0);
    await rm(path);
    expect(ids(await provider.poll(10))).toEqual(['a']);
    expect(provider.lastPoll()?.problems).toEqual([expect.objectContaining({ code: 'read_failed' })]);
    expect(provider.lastPoll()?.problems[0]?.message).toContain('ENOENT');
  });

  it('rejects while the file has never been readable, within the startup grace', async () => {
    const provider = createStaticFileProvider({ path, keepLastGoodMs: 1_000 });
    await expect(provider.poll(0)).rejects.toBeInstanceOf(DiscoveryProviderError);
    expect(provider.lastPoll()).toMatchObject({ outcome: 'unavailable', assetCount: 0 });
    expect(await provider.poll(1_001)).toEqual([]);
  });
});
