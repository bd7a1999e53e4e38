/** A plugin's discovery source polled like the built-in ones: validated entries, last good snapshot kept through a hang. */
import { describe, expect, it } from 'vitest';
import { definePlugin } from '@maestro/plugin-sdk';
import { createContainment, discoverySources } from '@maestro/plugin-sdk/host';
import { DiscoveryProviderError } from '../../src/domain/index';
import { createPluginProvider } from '../../src/providers/plugin-provider';

let mode: 'answer' | 'hang' | 'garbage' = 'answer';
const plugin = definePlugin({
  name: 'acme',
  version: '1.0.0',
  discoveryProviders: [{
    name: 'cmdb',
    precedence: 250,
    list: async () => {
      if (mode === 'hang') return new Promise<never>(() => undefined);
      if (mode === 'garbage') return { assets: [] } as never;
      return [{ assetId: 'db-1', region: 'eu-west-1', labels: { frozen: 'true' } }, { assetId: ' bad id' }];
    },
  }],
});

const [source] = discoverySources([plugin], createContainment({ timeoutMs: 1_000, onFailure: () => undefined }));
const provider = createPluginProvider(source!, { timeoutMs: 1_000, keepLastGoodMs: 10_000 });

describe('plugin discovery provider', () => {
  it('is a source named after its plugin, listing validated assets', async () => {
    mode = 'answer';
    expect(provider).toMatchObject({ name: 'acme.cmdb', precedence: 250 });
    expect(await provider.poll(1_000)).toEqual([expect.objectContaining({ assetId: 'db-1', region: 'eu-west-1', labels: { frozen: 'true' }, source: 'acme.cmdb' })]);
    expect(provider.lastPoll()?.problems.map((p) => p.code)).toEqual(['invalid_entry']);
  });

  it.each([
    ['hangs', 'hang', 'timeout', 'plugin acme failed: discovery provider cmdb list did not answer within 1000 ms'],
    ['answers something else than a list', 'garbage', 'not_a_list', 'plugin acme failed: discovery provider cmdb list answered wrongly: expected an array of asset entries, got {"assets":[]}'],
  ] as const)('serves its last good snapshot when it %s, saying why', async (_, how, code, message) => {
    mode = how;
    expect((await provider.poll(2_000)).map((a) => a.assetId)).toEqual(['db-1']);
    expect(provider.lastPoll()).toMatchObject({ outcome: 'cached', problems: [{ code, message }] });
  });

  it('rejects its first poll as having no snapshot yet when it fails from the start', async () => {
    mode = 'hang';
    const fresh = createPluginProvider(source!, { timeoutMs: 1_000, keepLastGoodMs: 10_000 });
    await expect(fresh.poll(1_000)).rejects.toBeInstanceOf(DiscoveryProviderError);
  });
});
